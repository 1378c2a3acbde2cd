import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import type { PredictionRecord } from '@vhb/sdk';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus, FINGERPRINT_FILE, planExperiment, runExperiment, type TimedEvent } from '../src/index.js';
import { plugins, projectConfig, vqaRegistries, writeTree } from './helpers/vqa-project.js';

/** Resume at the stage level: finished runs skipped, shared inference, and SIGKILL at several points. */
const CHILD = fileURLToPath(new URL('./fixtures/kill/run-plan.mjs', import.meta.url));
const ITEMS = 6;

let work: string;
let engine: TestEngine;

const question = (i: number) => `question ${i}`;
const itemLine = (i: number) => JSON.stringify({ id: `q${i}`, question: question(i), references: [`echo: ${question(i)}`] });

// r2 differs from r1 only in its reports and group_by (one inference for both); r3 asks at another
// temperature. The response cache is off, so only the stage sharing can spare r2's requests.
const RUNS = {
  r1: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\ninference: { cache: false }\n',
  r2: 'task: vqa\nmodel: m\ndataset: d\nreports: []\ngroup_by: [doc_type]\ninference: { cache: false }\n',
  r3: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\ngeneration: { temperature: 0.5 }\ninference: { cache: false }\n',
};

async function project(name: string): Promise<ProjectConfig> {
  const root = join(work, name);
  const registries: Record<string, string> = {
    ...vqaRegistries(engine.baseUrl, '{ concurrency: 1 }'),
    'experiments/p.yaml': 'name: p\nruns: [r1, r2, r3]\n',
    ...Object.fromEntries(Object.entries(RUNS).map(([run, text]) => [`runs/${run}.yaml`, `name: ${run}\n${text}`])),
  };
  await writeTree(root, {
    ...Object.fromEntries(Object.entries(registries).map(([file, text]) => [`registries/${file}`, text])),
    'data/items.jsonl': `${Array.from({ length: ITEMS }, (_, i) => itemLine(i)).join('\n')}\n`,
  });
  return projectConfig(root);
}

async function runInProcess(config: ProjectConfig) {
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registry, config, 'p');
  const bus = new EventBus();
  const seen: TimedEvent[] = [];
  bus.subscribe((event) => seen.push(event));
  const result = await runExperiment({
    registry,
    host: new PluginHost({ root: config.root, cacheDir: config.cacheDir }),
    plan,
    bus,
    env: {},
  });
  return { outcomes: result.outcomes, seen };
}

const chats = () => engine.requests.filter((r) => r.path === '/v1/chat/completions').length;

async function answeredIds(config: ProjectConfig, run: string): Promise<string[]> {
  const text = await readFile(join(config.resultsDir, 'p', run, 'predictions.jsonl'), 'utf8');
  const records = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PredictionRecord);
  return [...new Set(records.filter((r) => r.prediction !== null).map((r) => r.id))].sort();
}

beforeAll(async () => {
  for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
    expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first (pnpm --filter @vhb/runner... build)`).toBe(true);
  }
  expect(existsSync(new URL('../dist/index.js', import.meta.url)), 'build @vhb/runner first').toBe(true);
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-resume-'));
  engine = await startTestEngine({ behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
});
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  engine.reset();
  engine.behaviour.ttftMs = 0;
});

describe('stage-level resume', { timeout: 60_000 }, () => {
  it('shares one inference between runs that differ only in reports, and skips runs finished earlier', async () => {
    const config = await project('skip');
    const first = await runInProcess(config);
    expect(first.outcomes.map((o) => [o.run, o.status, o.reused ?? false])).toEqual([
      ['r1', 'ok', false],
      ['r2', 'ok', false],
      ['r3', 'ok', false],
    ]);
    // r1 and r3 asked every item; r2 took r1's answers (the response cache is off).
    expect(chats()).toBe(2 * ITEMS);
    expect(await answeredIds(config, 'r2')).toEqual(Array.from({ length: ITEMS }, (_, i) => `q${i}`).sort());
    for (const run of ['r1', 'r2', 'r3']) expect(existsSync(join(config.resultsDir, 'p', run, FINGERPRINT_FILE))).toBe(true);

    // Nothing changed: every run is skipped, no stage starts, nothing is asked.
    const second = await runInProcess(config);
    expect(second.outcomes.map((o) => [o.run, o.status, o.reused])).toEqual([
      ['r1', 'ok', true],
      ['r2', 'ok', true],
      ['r3', 'ok', true],
    ]);
    expect(second.outcomes.map((o) => o.summary?.items.total)).toEqual([ITEMS, ITEMS, ITEMS]);
    expect(second.seen.filter((e) => e.type === 'stage-start' && e.run)).toEqual([]);
    // The bus also carried resource samples (CPU and memory here; no GPU on this machine's CI).
    const sample = second.seen.find((e) => e.type === 'resource-sample');
    expect(sample?.type === 'resource-sample' && sample.memoryTotalMb > 0).toBe(true);
    expect(chats()).toBe(2 * ITEMS);

    // A new item in the dataset: the runs go again, and only the new item is asked (once per inference).
    await appendFile(join(config.root, 'data', 'items.jsonl'), `${itemLine(ITEMS)}\n`);
    const third = await runInProcess(config);
    expect(third.outcomes.map((o) => [o.status, o.reused ?? false])).toEqual([
      ['ok', false],
      ['ok', false],
      ['ok', false],
    ]);
    expect(chats()).toBe(2 * ITEMS + 2);
    expect(engine.requests.slice(-2).every((r) => JSON.stringify(r.body).includes(question(ITEMS)))).toBe(true);

    // A removed report file: r1 alone is redone (from its predictions, without a request).
    const index = JSON.parse(await readFile(join(config.resultsDir, 'p', 'r1', 'report-files.json'), 'utf8'));
    await rm(join(config.resultsDir, 'p', 'r1', index.reports[0].files[0]));
    const fourth = await runInProcess(config);
    expect(fourth.outcomes.map((o) => o.reused ?? false)).toEqual([false, true, true]);
    expect(existsSync(join(config.resultsDir, 'p', 'r1', index.reports[0].files[0]))).toBe(true);
    expect(chats()).toBe(2 * ITEMS + 2);
  });

  const exit = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (c) => {
        stdout += c;
      });
      child.stderr?.on('data', (c) => {
        stderr += c;
      });
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  const start = (config: ProjectConfig, killAt?: string) =>
    spawn(process.execPath, [CHILD, config.root, 'p', ...(killAt ? [killAt] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });

  // Each point: where the plan is killed. `request:N`: the moment the engine receives its Nth chat
  // request (one at a time, so the N−1 before are answered and on disk); else a bus event.
  const POINTS = ['request:3', 'request:8', 'stage-start:evaluation:r1', 'stage-start:report:r1', 'run-end:-:r2', 'stage-end:inference:r3'];

  it.each(POINTS)('killed with SIGKILL at %s and restarted: every item answered, no request answered twice', async (point) => {
    const config = await project(`kill-${point.replace(/[^a-z0-9]+/gi, '-')}`);
    let child: ChildProcess;
    if (point.startsWith('request:')) {
      const n = Number(point.slice('request:'.length));
      let seen = 0;
      // Each answer waits 150 ms: the killed process is gone long before its answer is complete.
      engine.behaviour.ttftMs = 150;
      engine.behaviour.answer = (body) => {
        seen += 1;
        if (seen === n) child.kill('SIGKILL');
        const last = body.messages.at(-1)?.content;
        const text = typeof last === 'string' ? last : (last ?? []).map((p) => ('text' in p ? p.text : '')).join('');
        return `echo: ${text}`;
      };
      child = start(config);
    } else child = start(config, point);
    const killed = await exit(child);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    engine.behaviour.ttftMs = 0;
    engine.behaviour.answer = (body) => {
      const last = body.messages.at(-1)?.content;
      return `echo: ${typeof last === 'string' ? last : (last ?? []).map((p) => ('text' in p ? p.text : '')).join('')}`;
    };

    const restarted = await exit(start(config));
    expect(restarted.code, restarted.stderr).toBe(0);
    const outcomes = JSON.parse(restarted.stdout) as { run: string; status: string }[];
    expect(outcomes.map((o) => [o.run, o.status])).toEqual([
      ['r1', 'ok'],
      ['r2', 'ok'],
      ['r3', 'ok'],
    ]);
    const all = Array.from({ length: ITEMS }, (_, i) => `q${i}`).sort();
    for (const run of ['r1', 'r2', 'r3']) expect(await answeredIds(config, run)).toEqual(all);
    // Two inferences (r1's, shared by r2, and r3's): each question answered exactly twice in all.
    expect([...engine.counts.completedByPrompt.values()]).toEqual(Array(ITEMS).fill(2));
    expect(engine.counts.completedByPrompt.size).toBe(ITEMS);
  });
});
