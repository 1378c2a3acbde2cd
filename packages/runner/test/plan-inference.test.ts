import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProjectConfig, RegistryManager } from '@vhb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLimiters, planExperiment } from '../src/index.js';

let root: string;
const yaml: Record<string, string> = {
  'packages/t.yaml': 'name: t\nkind: task\nsource: { type: local, path: t }\n',
  'packages/d.yaml': 'name: d\nkind: dataset\nsource: { type: local, path: d }\n',
  'packages/a.yaml': 'name: a\nkind: adapter\nsource: { type: local, path: a }\n',
  'packages/x.yaml': 'name: x\nkind: metric\nsource: { type: local, path: x }\n',
  'tasks/t.yaml': 'name: t\npackage: t\nsupported_metrics: [x]\n',
  'datasets/d.yaml': 'name: d\npackage: d\npath: data\n',
  'models/m1.yaml': 'name: m1\nadapter: a\n',
  'models/m2.yaml': 'name: m2\nadapter: a\n',
  'metrics/x.yaml': 'name: x\npackage: x\n',
  'runs/r1.yaml':
    'name: r1\ntask: t\nmodel: m1\ndataset: d\nreports: []\ninference: { max_attempts: 3, backoff_ms: 10, max_backoff_ms: 100, item_timeout_ms: 5000, cache: false, concurrency: 8 }\n',
  'runs/r2.yaml': 'name: r2\ntask: t\nmodel: m1\ndataset: d\nreports: []\ninference: { concurrency: 3 }\n',
  'runs/r3.yaml': 'name: r3\ntask: t\nmodel: m2\ndataset: d\nreports: []\n',
  'experiments/p.yaml': 'name: p\nparallelism: 3\nruns: [r1, r2, r3]\n',
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vhb-runner-plan-'));
  for (const [file, text] of Object.entries(yaml)) {
    await mkdir(join(root, 'registries', file, '..'), { recursive: true });
    await writeFile(join(root, 'registries', file), text);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('planExperiment: the inference block', () => {
  it("carries a run's inference block and the cache folder into its spec, and shares a limiter per model", async () => {
    const config: ProjectConfig = {
      root,
      runMode: 'prod',
      registriesDir: join(root, 'registries'),
      resultsDir: join(root, 'results'),
      cacheDir: join(root, '.vhb-cache'),
    };
    const registry = await RegistryManager.load({ root, registriesDir: config.registriesDir, runMode: 'prod' });
    expect(registry.validatePlan('p').filter((d) => d.severity === 'error')).toEqual([]);
    const plan = planExperiment(registry, config, 'p');
    const [r1, r2, r3] = plan.runs.map((run) => run.spec);
    expect(r1?.inference).toEqual({ maxAttempts: 3, backoffMs: 10, maxBackoffMs: 100, itemTimeoutMs: 5000, cache: false, concurrency: 8 });
    expect(r2?.inference).toEqual({ concurrency: 3 });
    expect(r3?.inference).toEqual({});
    expect(r1?.cacheDir).toBe(join(root, '.vhb-cache'));

    // m1's runs share one limiter at the smaller of their explicit limits; m2 waits for its session's.
    const limiters = modelLimiters(plan.runs);
    expect([...limiters.keys()].sort()).toEqual(['m1', 'm2']);
    expect(limiters.get('m1')?.limit).toBe(3);
    expect(limiters.get('m2')?.limit).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects an unknown inference field, naming it', async () => {
    const dir = join(root, 'bad');
    await mkdir(join(dir, 'registries', 'runs'), { recursive: true });
    await writeFile(join(dir, 'registries', 'runs', 'r.yaml'), 'name: r\ntask: t\nmodel: m1\ndataset: d\ninference: { retries: 3 }\n');
    const registry = await RegistryManager.load({ root: dir, registriesDir: join(dir, 'registries'), runMode: 'prod' });
    const problems = JSON.stringify(registry.validateAll());
    expect(problems).toContain('retries');
  });
});
