import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBus,
  isStageAlive,
  openTracker,
  planExperiment,
  readTracker,
  runExperiment,
  TRACKER_SCHEMA,
  trackerFor,
  trackStages,
} from '../src/index.js';
import { plugins, projectConfig, vqaRegistries, writeTree } from './helpers/vqa-project.js';

const ITEMS = 3;
let work: string;
let engine: TestEngine;

beforeAll(async () => {
  for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
    expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first (pnpm --filter @vhb/runner... build)`).toBe(true);
  }
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-tracker-'));
  engine = await startTestEngine({ behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
});
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function project(name: string, runs: Record<string, string>): Promise<ProjectConfig> {
  const root = join(work, name);
  const lines = Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, question: `question ${i}`, references: ['x'] }));
  const registries: Record<string, string> = {
    ...vqaRegistries(engine.baseUrl),
    'datasets/missing.yaml': 'name: missing\npackage: dataset-jsonl\npath: data\noptions: { manifest: nowhere.jsonl }\n',
    'experiments/p.yaml': `name: p\nruns: [${Object.keys(runs).join(', ')}]\n`,
    ...Object.fromEntries(Object.entries(runs).map(([run, text]) => [`runs/${run}.yaml`, `name: ${run}\n${text}`])),
  };
  await writeTree(root, {
    ...Object.fromEntries(Object.entries(registries).map(([file, text]) => [`registries/${file}`, text])),
    'data/items.jsonl': `${lines.join('\n')}\n`,
  });
  return projectConfig(root);
}

async function load(config: ProjectConfig) {
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  return { registry, plan: planExperiment(registry, config, 'p'), host: new PluginHost({ root: config.root, cacheDir: config.cacheDir }) };
}

describe('tracker', () => {
  it('persists stage state to its file atomically and reads it back after reopening', async () => {
    const file = join(work, 'round', 'tracker.sqlite');
    const tracker = await openTracker(file, { debounceMs: 10_000 });
    tracker.startRun('p', 'r1');
    tracker.startStage('p', undefined, 'prepare', 'prepare');
    tracker.endStage('p', undefined, 'prepare');
    tracker.startStage('p', 'r1', 'inference:r1', 'inference');
    tracker.failStage('p', 'r1', 'inference:r1', 'VHB_E_X', 'it broke');
    tracker.startStage('p', 'r1', 'inference:r1', 'inference');
    // Debounced: nothing written yet; flush writes, and no temp file stays behind.
    expect(existsSync(file)).toBe(false);
    await tracker.flush();
    expect(await readdir(join(work, 'round'))).toEqual(['tracker.sqlite']);
    tracker.endStage('p', 'r1', 'inference:r1');
    tracker.endRun('p', 'r1', 'ok');
    await tracker.close();

    const read = await readTracker(file, 'p');
    const stages = read?.stages ?? [];
    expect(stages.map((s) => [s.run, s.stageId, s.kind, s.status, s.attempts, s.error])).toEqual([
      ['', 'prepare', 'prepare', 'done', 1, undefined],
      ['r1', 'inference:r1', 'inference', 'done', 2, undefined],
    ]);
    for (const s of stages) {
      expect(s.pid).toBe(process.pid);
      expect(Date.parse(s.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(s.startedAt ?? ''));
    }
    expect(read?.runs.map((r) => [r.run, r.status])).toEqual([['r1', 'ok']]);
    expect(await readTracker(file, 'other')).toEqual({ stages: [], runs: [] });

    // Reopened, it keeps counting attempts where it stopped.
    const again = await trackerFor(`sqlite:${file}`);
    again.startStage('p', 'r1', 'inference:r1', 'inference');
    expect(again.stages('p').find((s) => s.stageId === 'inference:r1')).toMatchObject({ status: 'running', attempts: 3 });
    await again.close();
    expect((await readTracker(file, 'p'))?.stages.find((s) => s.stageId === 'inference:r1')?.status).toBe('running');
  });

  it('rejects PostgreSQL (not yet) and unknown URLs, and a damaged file, with clear errors', async () => {
    await expect(trackerFor('postgres://u@localhost/vhb')).rejects.toMatchObject({
      code: 'VHB_E_TRACKER_URL',
      message: /not supported yet/,
    });
    await expect(trackerFor('mysql://x')).rejects.toMatchObject({ code: 'VHB_E_TRACKER_URL' });
    const bad = join(work, 'bad.sqlite');
    await writeFile(bad, 'not a database at all, not even close');
    await expect(openTracker(bad)).rejects.toMatchObject({ code: 'VHB_E_TRACKER', message: /bad.sqlite/ });
  });

  it('the schema is portable SQL: no SQLite-only types or AUTOINCREMENT', () => {
    const ddl = TRACKER_SCHEMA.join('\n');
    expect(ddl).not.toMatch(/AUTOINCREMENT|WITHOUT ROWID|DATETIME|BLOB/i);
    expect(ddl).toMatch(/PRIMARY KEY \(plan, run, stage_id\)/);
  });

  it('tells a running stage whose process is gone', () => {
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.pid).toBeGreaterThan(0);
    expect(isStageAlive({ pid: child.pid as number })).toBe(false);
    expect(isStageAlive({ pid: process.pid })).toBe(true);
    expect(isStageAlive({})).toBe(false);
  });
});

describe('tracker over a real run', { timeout: 60_000 }, () => {
  it('records each stage of a run at results/<plan>/tracker.sqlite, the shared inference under its id', async () => {
    const config = await project('run', {
      r1: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match]\nreports: [json]\n',
      r2: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match@1]\nreports: []\n',
    });
    const { registry, plan, host } = await load(config);
    const result = await runExperiment({ registry, host, plan, env: {} });
    for (const outcome of result.outcomes) expect(outcome.status, outcome.reason).toBe('ok');
    const read = await readTracker(join(config.resultsDir, 'p', 'tracker.sqlite'), 'p');
    const byRun = (run: string) => (read?.stages ?? []).filter((s) => s.run === run).map((s) => [s.stageId, s.status, s.attempts]);
    expect(byRun('')).toEqual([['prepare', 'done', 1]]);
    expect(byRun('r1').sort()).toEqual(
      [
        ['inference:r1', 'done', 1],
        ['evaluation:r1', 'done', 1],
        ['report:r1', 'done', 1],
      ].sort(),
    );
    expect(byRun('r2').map((s) => s[0])).toContain('inference:r1');
    expect(read?.runs.map((r) => [r.run, r.status])).toEqual([
      ['r1', 'ok'],
      ['r2', 'ok'],
    ]);

    // A second invocation counts a second attempt.
    await runExperiment({ registry, host, plan, env: {} });
    const twice = await readTracker(join(config.resultsDir, 'p', 'tracker.sqlite'), 'p');
    expect(twice?.stages.find((s) => s.run === 'r1' && s.stageId === 'evaluation:r1')?.attempts).toBe(2);
  });

  it('records a failed stage with its code and message; tracker: false writes no file', async () => {
    const config = await project('fail', { bad: 'task: vqa\nmodel: m\ndataset: missing\nreports: []\n' });
    const { registry, plan, host } = await load(config);
    const result = await runExperiment({ registry, host, plan, env: {} });
    const outcome = result.outcomes[0];
    expect(outcome?.status).toBe('failed');
    const read = await readTracker(join(config.resultsDir, 'p', 'tracker.sqlite'), 'p');
    const failed = read?.stages.find((s) => s.run === 'bad' && s.stageId === 'inference:bad');
    expect(failed?.status).toBe('failed');
    expect(failed?.error?.code).toBe(outcome?.code);
    expect(failed?.error?.message).toMatch(/nowhere\.jsonl/);
    expect(read?.runs).toMatchObject([{ run: 'bad', status: 'failed', errorCode: outcome?.code }]);

    await rm(join(config.resultsDir, 'p'), { recursive: true, force: true });
    await runExperiment({ registry, host, plan, env: {}, tracker: false, eventsFile: false });
    expect(existsSync(join(config.resultsDir, 'p', 'tracker.sqlite'))).toBe(false);
  });

  it('trackStages follows any bus: a stage started and never ended stays running', async () => {
    const file = join(work, 'bus', 'tracker.sqlite');
    const tracker = await openTracker(file);
    const bus = new EventBus();
    const stop = trackStages(bus, tracker, { plan: 'q', runs: { a: ['prepare', 'inference:a'] } });
    bus.publish({ type: 'stage-start', run: 'a', stage: 'inference' });
    stop();
    bus.publish({ type: 'stage-end', run: 'a', stage: 'inference', durationMs: 1 });
    await tracker.close();
    expect((await readTracker(file, 'q'))?.stages.map((s) => [s.stageId, s.status])).toEqual([['inference:a', 'running']]);
  });
});
