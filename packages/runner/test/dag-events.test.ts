import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildStageGraph,
  EventBus,
  inferenceKey,
  planExperiment,
  planStages,
  REPORT_INDEX_FILE,
  type RunnerEvent,
  replayEvents,
  runExperiment,
  type TimedEvent,
} from '../src/index.js';
import { plugins, projectConfig, vqaRegistries, writeTree } from './helpers/vqa-project.js';

/** The stage graph and the event bus over a real run: this checkout's plugins against the test engine. */
const _here = fileURLToPath(new URL('.', import.meta.url));
const ITEMS = 5;

let work: string;
let engine: TestEngine;

async function project(name: string, runs: Record<string, string>, planRuns: string[]): Promise<ProjectConfig> {
  const root = join(work, name);
  const registries: Record<string, string> = {
    ...vqaRegistries(engine.baseUrl),
    'datasets/missing.yaml': 'name: missing\npackage: dataset-jsonl\npath: data\noptions: { manifest: nowhere.jsonl }\n',
    'experiments/p.yaml': `name: p\nruns: [${planRuns.join(', ')}]\n`,
    ...Object.fromEntries(Object.entries(runs).map(([run, text]) => [`runs/${run}.yaml`, `name: ${run}\n${text}`])),
  };
  const lines = Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, question: `question ${i}`, references: ['x'] }));
  await writeTree(root, {
    ...Object.fromEntries(Object.entries(registries).map(([file, text]) => [`registries/${file}`, text])),
    'data/items.jsonl': `${lines.join('\n')}\n`,
  });
  return projectConfig(root);
}

async function load(config: ProjectConfig) {
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  expect(registry.validatePlan('p').filter((d) => d.severity === 'error')).toEqual([]);
  return { registry, plan: planExperiment(registry, config, 'p'), host: new PluginHost({ root: config.root, cacheDir: config.cacheDir }) };
}

beforeAll(async () => {
  for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
    expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first (pnpm --filter @vhb/runner... build)`).toBe(true);
  }
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-dag-'));
  engine = await startTestEngine({ behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
});
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const RUNS = {
  // r2 differs from r1 in its metric pin, reports and group_by only: one inference for both.
  r1: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match]\nreports: [json]\n',
  r2: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match@1]\nreports: []\ngroup_by: [doc_type]\n',
  // Another temperature, another limit: answers of their own.
  r3: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\ngeneration: { temperature: 0.5 }\n',
  r4: 'task: vqa\nmodel: m\ndataset: d\nreports: [json]\nlimit: 2\n',
};

describe('stage graph', { timeout: 60_000 }, () => {
  it('shares the inference of runs that differ only in metrics, reports or group_by', async () => {
    const config = await project('shape', RUNS, ['r1', 'r2', 'r3', 'r4']);
    const { plan } = await load(config);
    const [r1, r2, r3, r4] = plan.runs.map(inferenceKey);
    expect(r1).toBe(r2);
    expect(new Set([r1, r3, r4]).size).toBe(3);
    const graph = planStages(plan);
    const inference = graph.stages.filter((s) => s.kind === 'inference');
    expect(inference.map((s) => [s.id, s.runs])).toEqual([
      ['inference:r1', ['r1', 'r2']],
      ['inference:r3', ['r3']],
      ['inference:r4', ['r4']],
    ]);
    expect(graph.stages.filter((s) => s.kind === 'prepare')).toHaveLength(1);
    expect(graph.stages.filter((s) => s.kind === 'evaluation').map((s) => s.dependsOn[0])).toEqual([
      'inference:r1',
      'inference:r1',
      'inference:r3',
      'inference:r4',
    ]);
    expect(graph.stages).toHaveLength(1 + 3 + 4 + 4);
  });

  it('publishes stage and item events to the bus and events.jsonl; the shared inference sends no request twice', async () => {
    const config = await project('run', RUNS, ['r1', 'r2', 'r3']);
    const { registry, plan, host } = await load(config);
    const bus = new EventBus();
    const seen: TimedEvent[] = [];
    bus.subscribe((event) => seen.push(event));
    const callbacks: RunnerEvent[] = [];
    engine.reset();
    const result = await runExperiment({ registry, host, plan, env: {}, bus, onEvent: (e) => callbacks.push(e) });
    for (const outcome of result.outcomes) expect(outcome.status, outcome.reason).toBe('ok');
    // r2 shares r1's inference: it starts from r1's answers and asks nothing.
    expect(engine.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2 * ITEMS);

    // onEvent keeps receiving the RunnerEvents only.
    expect(callbacks.some((e) => (e.type as string).startsWith('stage') || e.type === ('item-done' as string))).toBe(false);
    expect(callbacks.filter((e) => e.type === 'run-end')).toHaveLength(3);

    const stagesOf = (run: string) =>
      seen
        .filter((e) => e.run === run && (e.type === 'stage-start' || e.type === 'stage-end'))
        .map((e) => `${e.type}:${(e as { stage: string }).stage}`);
    expect(stagesOf('r1')).toEqual([
      'stage-start:inference',
      'stage-end:inference',
      'stage-start:evaluation',
      'stage-end:evaluation',
      'stage-start:report',
      'stage-end:report',
    ]);
    expect(seen.filter((e) => e.type === 'stage-end' && e.stage === 'prepare')).toHaveLength(1);
    const items = seen.filter((e) => e.type === 'item-done' && e.run === 'r3');
    expect(items.map((e) => (e.type === 'item-done' ? e.done : 0))).toEqual([1, 2, 3, 4, 5]);
    for (const item of items) expect(item.type === 'item-done' && item.elapsedMs >= 0 && item.total === ITEMS).toBe(true);
    expect(seen.filter((e) => e.type === 'item-done' && e.run === 'r2')).toHaveLength(0);
    const r2Start = seen.find((e) => e.type === 'run-event' && e.run === 'r2' && e.event.type === 'inference-start');
    expect(r2Start?.type === 'run-event' && r2Start.event.type === 'inference-start' && r2Start.event.done).toBe(ITEMS);

    // events.jsonl holds what the bus carried, minus item-done (the item run-event is the same fact) and debug logs.
    const file = join(config.resultsDir, 'p', 'events.jsonl');
    const replayed = await replayEvents(file);
    const expected = seen.filter(
      (e) => e.type !== 'item-done' && !(e.type === 'run-event' && e.event.type === 'log' && e.event.level === 'debug'),
    );
    expect(replayed).toEqual(JSON.parse(JSON.stringify(expected)));

    // The report index names the files each reporter wrote; the graph shows every stage done.
    const index = JSON.parse(await readFile(join(config.resultsDir, 'p', 'r1', REPORT_INDEX_FILE), 'utf8'));
    expect(index.reports).toHaveLength(1);
    expect(index.reports[0].name).toBe('json');
    for (const f of index.reports[0].files) expect(existsSync(join(config.resultsDir, 'p', 'r1', f))).toBe(true);
    const graph = await buildStageGraph(plan);
    for (const stage of graph.stages) expect(stage.status.state, stage.id).toBe('done');
    expect(graph.stages.find((s) => s.id === 'inference:r1')?.status).toEqual({ state: 'done', answered: ITEMS, total: ITEMS, failed: 0 });

    // Deleting a report file makes the report stage pending again, and only it.
    await rm(join(config.resultsDir, 'p', 'r1', index.reports[0].files[0]));
    const after = await buildStageGraph(plan);
    expect(after.stages.filter((s) => s.status.state !== 'done').map((s) => s.id)).toEqual(['report:r1']);
  });

  it('publishes a failed stage with its code, and the run ends failed', async () => {
    const config = await project('fail', { bad: 'task: vqa\nmodel: m\ndataset: missing\nreports: []\n' }, ['bad']);
    const { registry, plan, host } = await load(config);
    const bus = new EventBus();
    const seen: TimedEvent[] = [];
    bus.subscribe((event) => seen.push(event));
    const result = await runExperiment({ registry, host, plan, env: {}, bus, eventsFile: false });
    expect(result.outcomes[0]?.status).toBe('failed');
    const failed = seen.find((e) => e.type === 'stage-failed');
    expect(failed).toMatchObject({ type: 'stage-failed', run: 'bad', stage: 'inference', code: result.outcomes[0]?.code });
    expect(existsSync(join(config.resultsDir, 'p', 'events.jsonl'))).toBe(false);
  });
});
