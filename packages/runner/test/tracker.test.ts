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
import { findPostgres, type PostgresServer, startPostgres } from './helpers/postgres-server.js';
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

/** A database the same scenarios run against. */
interface Backend {
  name: string;
  /** Why it cannot run here, if it cannot. */
  skip?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The URL of a tracker database nothing has written yet. */
  fresh(): Promise<string>;
  /** The `tracker` option a run gets (undefined: the default results/<plan>/tracker.sqlite), and where that tracker is. */
  forRun(config: ProjectConfig): Promise<{ option?: string; url: string }>;
}

let fresh = 0;
const sqlite: Backend = {
  name: 'SQLite (sql.js file)',
  start: async () => {},
  stop: async () => {},
  fresh: async () => `sqlite:${join(work, `fresh-${++fresh}`, 'tracker.sqlite')}`,
  forRun: async (config) => ({ url: join(config.resultsDir, 'p', 'tracker.sqlite') }),
};

const found = findPostgres();
let server: PostgresServer | undefined;
const postgres: Backend = {
  name: 'PostgreSQL',
  ...('skip' in found ? { skip: found.skip } : {}),
  start: async () => {
    if ('bin' in found) server = await startPostgres(found.bin);
  },
  stop: async () => server?.stop(),
  fresh: async () => (server as PostgresServer).createDatabase(),
  forRun: async () => {
    const url = await (server as PostgresServer).createDatabase();
    return { option: url, url };
  },
};

describe.each([sqlite, postgres])('tracker on $name', (backend) => {
  const when = backend.skip ? describe.skip : describe;
  when(backend.skip ? `skipped: ${backend.skip}` : 'scenarios', { timeout: 60_000 }, () => {
    beforeAll(() => backend.start(), 60_000);
    afterAll(() => backend.stop());

    it('records run and stage transitions, and a reopened tracker counts attempts on', async () => {
      const url = await backend.fresh();
      const tracker = await trackerFor(url);
      tracker.startRun('p', 'r1');
      tracker.startStage('p', undefined, 'prepare', 'prepare');
      tracker.endStage('p', undefined, 'prepare');
      tracker.startStage('p', 'r1', 'inference:r1', 'inference');
      tracker.failStage('p', 'r1', 'inference:r1', 'VHB_E_X', 'it broke');
      tracker.startStage('p', 'r1', 'inference:r1', 'inference');
      await tracker.flush();
      tracker.endStage('p', 'r1', 'inference:r1');
      tracker.endRun('p', 'r1', 'ok');
      await tracker.close();

      const read = await readTracker(url, 'p');
      const stages = read?.stages ?? [];
      expect(stages.map((s) => [s.run, s.stageId, s.kind, s.status, s.attempts, s.error])).toEqual([
        ['', 'prepare', 'prepare', 'done', 1, undefined],
        ['r1', 'inference:r1', 'inference', 'done', 2, undefined],
      ]);
      for (const s of stages) {
        expect(s.pid).toBe(process.pid);
        expect(Date.parse(s.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(s.startedAt ?? ''));
      }
      expect(read?.runs.map((r) => [r.run, r.status, r.pid])).toEqual([['r1', 'ok', process.pid]]);

      const again = await trackerFor(url);
      again.startStage('p', 'r1', 'inference:r1', 'inference');
      again.failStage('p', 'r1', 'inference:r1', 'VHB_E_Y', 'broke again');
      expect((await again.stages('p')).find((s) => s.stageId === 'inference:r1')).toMatchObject({
        status: 'failed',
        attempts: 3,
        error: { code: 'VHB_E_Y', message: 'broke again' },
      });
      await again.close();
      await again.close();
      expect((await readTracker(url, 'p'))?.stages.find((s) => s.stageId === 'inference:r1')?.status).toBe('failed');
    });

    it('applies writes in call order, and a read sees every write made before it', async () => {
      const tracker = await trackerFor(await backend.fresh());
      const runs = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
      for (const run of runs) {
        tracker.startRun('p', run);
        tracker.startStage('p', run, `inference:${run}`, 'inference');
        if (run.endsWith('7')) tracker.failStage('p', run, `inference:${run}`, 'VHB_E_SEVEN', `${run} failed`);
        else tracker.endStage('p', run, `inference:${run}`);
        tracker.endRun('p', run, run.endsWith('7') ? 'failed' : 'ok', run.endsWith('7') ? 'VHB_E_SEVEN' : undefined);
      }
      // No flush: the reads wait for the writes queued before them.
      const [stages, read] = [await tracker.stages('p'), await tracker.runs('p')];
      expect(read.map((r) => r.run)).toEqual(runs);
      expect(read.filter((r) => r.status === 'failed').map((r) => [r.run, r.errorCode])).toEqual([
        ['r07', 'VHB_E_SEVEN'],
        ['r17', 'VHB_E_SEVEN'],
        ['r27', 'VHB_E_SEVEN'],
        ['r37', 'VHB_E_SEVEN'],
      ]);
      expect(stages).toHaveLength(40);
      expect(stages.filter((s) => s.status === 'done')).toHaveLength(36);
      expect(await tracker.stages('other')).toEqual([]);
      await tracker.close();
    });

    it('reads no tracker before one exists, and an empty plan from one that holds other plans', async () => {
      const url = await backend.fresh();
      expect(await readTracker(url, 'p')).toBeUndefined();
      const tracker = await trackerFor(url);
      tracker.startRun('p', 'r1');
      await tracker.close();
      expect(await readTracker(url, 'other')).toEqual({ stages: [], runs: [] });
    });

    it('trackStages follows any bus: a stage started and never ended stays running', async () => {
      const url = await backend.fresh();
      const tracker = await trackerFor(url);
      const bus = new EventBus();
      const stop = trackStages(bus, tracker, { plan: 'q', runs: { a: ['prepare', 'inference:a'] } });
      bus.publish({ type: 'stage-start', run: 'a', stage: 'inference' });
      stop();
      bus.publish({ type: 'stage-end', run: 'a', stage: 'inference', durationMs: 1 });
      await tracker.close();
      expect((await readTracker(url, 'q'))?.stages.map((s) => [s.stageId, s.status])).toEqual([['inference:a', 'running']]);
    });

    it('records each stage of a real run, the shared inference under its id', async () => {
      const config = await project(`run-${backend.name.slice(0, 6)}`, {
        r1: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match]\nreports: [json]\n',
        r2: 'task: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match@1]\nreports: []\n',
      });
      const { registry, plan, host } = await load(config);
      const tracker = await backend.forRun(config);
      const result = await runExperiment({ registry, host, plan, env: {}, tracker: tracker.option });
      for (const outcome of result.outcomes) expect(outcome.status, outcome.reason).toBe('ok');
      const read = await readTracker(tracker.url, 'p');
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
      // The tracker is where the option says: a PostgreSQL run leaves no SQLite file behind.
      expect(existsSync(join(config.resultsDir, 'p', 'tracker.sqlite'))).toBe(tracker.option === undefined);

      // Started over, each stage counts a second attempt.
      await runExperiment({ registry, host, plan, env: {}, tracker: tracker.option, fresh: true });
      const twice = await readTracker(tracker.url, 'p');
      expect(twice?.stages.find((s) => s.run === 'r1' && s.stageId === 'evaluation:r1')?.attempts).toBe(2);
    });

    it('records a failed stage of a real run with its code and message', async () => {
      const config = await project(`fail-${backend.name.slice(0, 6)}`, { bad: 'task: vqa\nmodel: m\ndataset: missing\nreports: []\n' });
      const { registry, plan, host } = await load(config);
      const tracker = await backend.forRun(config);
      const result = await runExperiment({ registry, host, plan, env: {}, tracker: tracker.option });
      const outcome = result.outcomes[0];
      expect(outcome?.status).toBe('failed');
      const read = await readTracker(tracker.url, 'p');
      const failed = read?.stages.find((s) => s.run === 'bad' && s.stageId === 'inference:bad');
      expect(failed?.status).toBe('failed');
      expect(failed?.error?.code).toBe(outcome?.code);
      expect(failed?.error?.message).toMatch(/nowhere\.jsonl/);
      expect(read?.runs).toMatchObject([{ run: 'bad', status: 'failed', errorCode: outcome?.code }]);
    });
  });
});

describe('tracker on SQLite: the file', () => {
  it('is written atomically after the debounce or on flush, with no temp file left', async () => {
    const file = join(work, 'round', 'tracker.sqlite');
    const tracker = await openTracker(file, { debounceMs: 10_000 });
    expect(tracker.location).toBe(file);
    tracker.startStage('p', undefined, 'prepare', 'prepare');
    expect(existsSync(file)).toBe(false);
    await tracker.flush();
    expect(await readdir(join(work, 'round'))).toEqual(['tracker.sqlite']);
    tracker.endStage('p', undefined, 'prepare');
    await tracker.close();
    expect((await readTracker(file, 'p'))?.stages.map((s) => s.status)).toEqual(['done']);
  });

  it('rejects unknown URLs, a sqlite: URL without a path, and a damaged file, with clear errors', async () => {
    await expect(trackerFor('mysql://x')).rejects.toMatchObject({ code: 'VHB_E_TRACKER_URL', message: expect.stringMatching(/"mysql:…"/) });
    await expect(trackerFor('sqlite:')).rejects.toMatchObject({
      code: 'VHB_E_TRACKER_URL',
      message: expect.stringMatching(/no file path/),
    });
    const bad = join(work, 'bad.sqlite');
    await writeFile(bad, 'not a database at all, not even close');
    await expect(openTracker(bad)).rejects.toMatchObject({ code: 'VHB_E_TRACKER', message: expect.stringMatching(/bad.sqlite/) });
  });

  it('tracker: false writes no file', async () => {
    const config = await project('off', { r1: 'task: vqa\nmodel: m\ndataset: d\nreports: []\n' });
    const { registry, plan, host } = await load(config);
    await runExperiment({ registry, host, plan, env: {}, tracker: false, eventsFile: false });
    expect(existsSync(join(config.resultsDir, 'p', 'r1', 'predictions.jsonl'))).toBe(true);
    expect(existsSync(join(config.resultsDir, 'p', 'tracker.sqlite'))).toBe(false);
  });
});

describe('tracker schema and liveness', () => {
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
