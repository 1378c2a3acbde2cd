import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { type PredictionRecord, type RunFile, readPredictions } from '@vhb/sdk';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planExperiment, runExperiment } from '../src/index.js';
import { plugins, vqaRegistries } from './helpers/vqa-project.js';

/**
 * The inference stage over real HTTP: @vhb/adapter-openai (and the task, dataset, metric and
 * reporter plugins of this checkout, loaded from their folders) against the test engine.
 */
const _here = fileURLToPath(new URL('.', import.meta.url));

let work: string;
let engine: TestEngine;

const QUESTIONS = 6;
const questionOf = (i: number) => `question number ${i}`;
/** The last user message the engine sees for item i: the task's default prompt, filled in. */
const promptOf = (i: number) => `${questionOf(i)}\nAnswer the question using a single word or phrase.`;

interface Project {
  root: string;
  config: ProjectConfig;
}

/** A project folder with registries pointing at this checkout's plugins and the engine. */
async function project(name: string, runs: Record<string, string>, experiment: string, modelOptions = '{ concurrency: 2 }') {
  const root = join(work, name);
  const registries: Record<string, string> = {
    ...vqaRegistries(engine.baseUrl, modelOptions),
    'experiments/p.yaml': experiment,
    ...Object.fromEntries(Object.entries(runs).map(([run, text]) => [`runs/${run}.yaml`, `name: ${run}\n${text}`])),
  };
  for (const [file, text] of Object.entries(registries)) {
    await mkdir(join(root, 'registries', file, '..'), { recursive: true });
    await writeFile(join(root, 'registries', file), text);
  }
  await mkdir(join(root, 'data'), { recursive: true });
  const manifest = Array.from({ length: QUESTIONS }, (_, i) =>
    JSON.stringify({ id: `q${i}`, question: questionOf(i), references: [`echo: ${questionOf(i)}`] }),
  );
  await writeFile(join(root, 'data', 'items.jsonl'), `${manifest.join('\n')}\n`);
  const config: ProjectConfig = {
    root,
    runMode: 'prod',
    registriesDir: join(root, 'registries'),
    resultsDir: join(root, 'results'),
    cacheDir: join(root, '.vhb-cache'),
  };
  return { root, config } satisfies Project;
}

async function runPlan({ config }: Project, fresh = false) {
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registry, config, 'p');
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir });
  const result = await runExperiment({ registry, host, plan, fresh, env: {} });
  for (const outcome of result.outcomes) expect(outcome.status, outcome.reason).toBe('ok');
  return result;
}

/** The text of a message's content, as the engine's default answer reads it. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((part: { type?: string; text?: string }) => (part.type === 'text' && part.text ? [part.text] : [])).join('\n');
}

const chatRequests = () => engine.requests.filter((r) => r.path === '/v1/chat/completions');
const itemsOf = async (path: string) => [...(await readPredictions(path)).values()];
const countsOf = (map: Map<string, number>) => [...map.values()];

beforeAll(async () => {
  for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
    expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first (pnpm --filter @vhb/runner... build)`).toBe(true);
  }
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-http-'));
  engine = await startTestEngine({ behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
});
beforeEach(() => engine.reset());
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('runner inference over HTTP against the test engine', { timeout: 60_000 }, () => {
  it('measures streaming TTFT and TPOT matching the engine delays; a re-run sends no request', async () => {
    engine.behaviour.ttftMs = 80;
    engine.behaviour.tokenDelayMs = 20;
    const p = await project('timing', { r: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\n' }, 'name: p\nruns: [r]\n');
    const { outcomes } = await runPlan(p);
    const records = await itemsOf(join(outcomes[0]!.outDir, 'predictions.jsonl'));
    expect(records).toHaveLength(QUESTIONS);
    for (const record of records) {
      expect(record.error).toBeNull();
      expect(record.attempts).toBe(1);
      expect(record.cache).toBeUndefined();
      // "echo: question number i\nAnswer the question using a single word or phrase." is 13 word chunks.
      expect(record.timing?.completionTokens).toBe(13);
      // The engine waits 80 ms before the first chunk and 20 ms between chunks: never less, and
      // (generously, for a loaded machine) not wildly more.
      expect(record.timing?.ttftMs).toBeGreaterThanOrEqual(78);
      expect(record.timing?.ttftMs).toBeLessThan(2000);
      expect(record.timing?.tpotMs).toBeGreaterThanOrEqual(18);
      expect(record.timing?.tpotMs).toBeLessThan(500);
      expect(record.timing?.latencyMs).toBeGreaterThanOrEqual(80 + 12 * 20 - 5);
    }
    expect(countsOf(engine.counts.completedByPrompt)).toEqual(Array(QUESTIONS).fill(1));
    engine.behaviour.ttftMs = 0;
    engine.behaviour.tokenDelayMs = 0;

    // The same results folder again: predictions.jsonl has every item, nothing is sent.
    const before = engine.counts.total;
    await runPlan(p);
    expect(engine.counts.total).toBe(before);
    // Results folder deleted (not --fresh): the response cache answers every item, with the original timing.
    await rm(outcomes[0]!.outDir, { recursive: true });
    await runPlan(p);
    expect(engine.counts.total).toBe(before);
    const cached = await itemsOf(join(outcomes[0]!.outDir, 'predictions.jsonl'));
    expect(cached).toHaveLength(QUESTIONS);
    for (const record of cached) {
      expect(record).toMatchObject({ cache: 'hit', attempts: 0, error: null });
      expect(record.timing?.ttftMs).toBeGreaterThanOrEqual(78);
    }
    const files = await readdir(join(p.config.cacheDir, 'responses'), { recursive: true });
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(QUESTIONS);
    // --fresh starts over: every item asked again (and the new answers saved).
    await runPlan(p, true);
    expect(engine.counts.completions).toBe(2 * QUESTIONS);
    // Turned off in the run: asked again, even without --fresh.
    await writeFile(
      join(p.root, 'registries/runs/r.yaml'),
      'name: r\ntask: vqa\nmodel: m\ndataset: d\nreports: [json]\ninference: { cache: false }\n',
    );
    await rm(outcomes[0]!.outDir, { recursive: true });
    await runPlan(p);
    expect(engine.counts.completions).toBe(3 * QUESTIONS);
  });

  it('retries 5 consecutive 500s and then succeeds (attempts 6), and honours Retry-After on 429', async () => {
    const run = (limit: number) =>
      `task: vqa\nmodel: m\ndataset: d\nreports: [json]\nlimit: ${limit}\ninference: { backoff_ms: 5, max_backoff_ms: 2000 }\n`;
    const p = await project('retry', { r: run(1) }, 'name: p\nruns: [r]\n', '{ concurrency: 1 }');
    // q0 gets five 500s, then its answer (default max_attempts 6).
    engine.failNext(...Array.from({ length: 5 }, () => ({ status: 500 })));
    const { outcomes } = await runPlan(p);
    // One more item in the same folder: q1 gets a 429 asking for 1 s, then its answer.
    await writeFile(join(p.root, 'registries/runs/r.yaml'), `name: r\n${run(2)}`);
    engine.failNext({ status: 429, retryAfter: '1' });
    await runPlan(p);
    const records = await itemsOf(join(outcomes[0]!.outDir, 'predictions.jsonl'));
    const byId = new Map(records.map((r) => [r.id, r]));
    expect(byId.get('q0')).toMatchObject({ prediction: expect.any(String), error: null, attempts: 6 });
    expect(byId.get('q1')).toMatchObject({ prediction: expect.any(String), error: null, attempts: 2 });
    const q1 = chatRequests().filter((r) => JSON.stringify(r.body).includes(questionOf(1)));
    expect(q1.map((r) => r.status)).toEqual([429, 200]);
    expect(q1[1]!.at - q1[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(engine.counts.byStatus).toMatchObject({ 500: 5, 429: 1, 200: 2 });
  });

  it('records an item that gets no answer in time as VHB_E_ITEM_TIMEOUT and goes on', async () => {
    const p = await project(
      'timeout',
      { r: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\nlimit: 3\ninference: { item_timeout_ms: 300, backoff_ms: 5 }\n' },
      'name: p\nruns: [r]\n',
      '{ concurrency: 1 }',
    );
    engine.failNext({ hang: true });
    const { outcomes } = await runPlan(p);
    const records = await itemsOf(join(outcomes[0]!.outDir, 'predictions.jsonl'));
    expect(records.map((r) => [r.id, r.error?.code ?? null])).toEqual([
      ['q0', 'VHB_E_ITEM_TIMEOUT'],
      ['q1', null],
      ['q2', null],
    ]);
    expect(records[0]?.error?.message).toContain('item q0: no answer within 300 ms (1 attempt)');
    expect(outcomes[0]!.summary?.items).toEqual({ total: 3, succeeded: 2, failed: 1 });
    // The failed item is asked again by the next run of the same folder; the others are not.
    await runPlan(p);
    expect(countsOf(engine.counts.completedByPrompt)).toEqual([1, 1, 1]);
  });

  it('shares one concurrency limit between parallel runs of the same model', async () => {
    engine.behaviour.ttftMs = 150;
    const run = (limit: number) => `task: vqa\nmodel: m\ndataset: d\nreports: [json]\nlimit: ${limit}\n`;
    const p = await project('shared', { a: run(4), b: run(3) }, 'name: p\nparallelism: 2\nruns: [a, b]\n', '{ concurrency: 2 }');
    await runPlan(p);
    engine.behaviour.ttftMs = 0;
    // 7 requests, each held at least 150 ms by the engine. With 2 in flight at most (not 2 per run),
    // any third request starts only after one of the two before it ended: arrivals i and i+2 are
    // at least 150 ms apart. (Unshared, 4 would arrive at once.)
    const at = chatRequests()
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(at).toHaveLength(7);
    for (let i = 0; i + 2 < at.length; i += 1) expect(at[i + 2]! - at[i]!).toBeGreaterThanOrEqual(145);
  });

  it('a task bin killed with SIGKILL mid-run and restarted answers every item exactly once', async () => {
    engine.behaviour.ttftMs = 20;
    engine.behaviour.tokenDelayMs = 5;
    const root = join(work, 'killed');
    const p = await project(
      'killed',
      { r: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\n' },
      'name: p\nruns: [r]\n',
      '{ concurrency: 1 }',
    );
    const outDir = join(root, 'results');
    const runFile: RunFile = {
      spec: {
        experiment: 'p',
        run: 'r',
        outDir,
        task: { name: 'vqa' },
        dataset: { name: 'd', root: join(root, 'data'), options: { manifest: 'items.jsonl' } },
        model: { name: 'm', model: 'm', modelId: 'test-model', endpoint: engine.baseUrl, options: { concurrency: 1 } },
        settings: {},
        metrics: [{ name: 'exact-match' }],
        reporters: [],
        groupBy: [],
        inference: { backoffMs: 5 },
        cacheDir: p.config.cacheDir,
      },
      entries: {
        dataset: join(plugins, 'dataset-jsonl/dist/index.js'),
        adapter: join(plugins, 'adapter-openai/dist/index.js'),
        metrics: [join(plugins, 'metric-exact-match/dist/index.js')],
        reporters: [],
      },
    };
    await writeFile(join(root, 'run.json'), JSON.stringify(runFile));
    const bin = join(plugins, 'task-vqa/dist/bin.js');
    const start = () => spawn(process.execPath, [bin, '--run', join(root, 'run.json')], { stdio: ['ignore', 'pipe', 'pipe'], env: {} });
    const exit = (child: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );

    // Kill the bin the moment the engine receives the 4th item's request: 3 items are on disk,
    // and (one request at a time) nothing else was in flight.
    let child = start();
    const killed = exit(child);
    let seen = 0;
    engine.behaviour.answer = (body) => {
      seen += 1;
      if (seen === 4) child.kill('SIGKILL');
      return `echo: ${textOf(body.messages.at(-1)?.content)}`;
    };
    expect((await killed).signal).toBe('SIGKILL');
    const partial = (await readFile(join(outDir, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(partial).toHaveLength(3);

    child = start();
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect((await exit(child)).code, stderr).toBe(0);
    const lines = (await readFile(join(outDir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PredictionRecord);
    expect(lines.map((r) => r.id).sort()).toEqual(Array.from({ length: QUESTIONS }, (_, i) => `q${i}`));
    expect(lines.every((r) => r.error === null && r.cache === undefined)).toBe(true);
    // Every item's request answered completely exactly once, across the kill and the restart.
    expect(engine.counts.completedByPrompt.size).toBe(QUESTIONS);
    expect(countsOf(engine.counts.completedByPrompt)).toEqual(Array(QUESTIONS).fill(1));
    for (let i = 0; i < QUESTIONS; i += 1) expect(engine.counts.completedByPrompt.get(promptOf(i))).toBe(1);
  });
});
