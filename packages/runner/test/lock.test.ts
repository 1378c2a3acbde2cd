import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { type LocalRegistry, publishSdk, startVerdaccio } from '@vhb-tools/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, planExperiment, runExperiment } from '../src/index.js';

const exec = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const sdkDir = join(here, '../../sdk');
const fixtures = join(here, 'fixtures');
const PKG = '@fixtures/lock-metric';

let registry: LocalRegistry;
let work: string;
let project: string;

async function pack(tool: 'npm' | 'pnpm', dir: string): Promise<string> {
  const args = tool === 'npm' ? ['pack', dir, '--ignore-scripts', '--pack-destination', work] : ['pack', '--pack-destination', work];
  const { stdout } = await exec(tool, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  const name = stdout.trim().split('\n').pop()!.trim();
  return name.startsWith('/') ? name : join(work, name);
}

/**
 * Publishes the fixture metric at `version`: 1.0.0 scores |len(prediction) - len(reference)|,
 * 1.1.0 scores ten times that, so the two releases are told apart by their scores.
 */
async function publishMetric(version: string, factor: number): Promise<void> {
  const dir = join(work, `metric-${version}`);
  await mkdir(dir, { recursive: true });
  const pkg = {
    name: PKG,
    version,
    type: 'module',
    license: 'MIT',
    exports: { '.': { default: './index.js' } },
    files: ['index.js'],
    vhb: { kind: 'metric', contract: 1 },
    dependencies: { '@vhb/sdk': '^0.1.0' },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  await writeFile(
    join(dir, 'index.js'),
    `import { defineMetric, z } from '@vhb/sdk';
export default defineMetric({
  name: 'gap', version: '${version}', description: 'Fixture: length gap times ${factor}.',
  algorithmVersion: 1, direction: 'lower', options: z.object({}).strict(),
  score(prediction, references) { return { score: ${factor} * Math.abs(prediction.length - (references[0] ?? '').length) }; },
  aggregate(scores) { return scores.reduce((sum, s) => sum + s.score, 0) / scores.length; },
});
`,
  );
  await registry.publish(await pack('npm', dir));
}

const yaml: Record<string, string> = {
  'packages/lock-task.yaml': `name: lock-task\nkind: task\nsource: { type: local, path: ${join(fixtures, 'lock-task')} }\n`,
  'packages/lock-dataset.yaml': `name: lock-dataset\nkind: dataset\nsource: { type: local, path: ${join(fixtures, 'lock-dataset')} }\n`,
  'packages/lock-adapter.yaml': `name: lock-adapter\nkind: adapter\nsource: { type: local, path: ${join(fixtures, 'lock-adapter')} }\n`,
  'packages/lock-reporter.yaml': `name: lock-reporter\nkind: reporter\nsource: { type: local, path: ${join(fixtures, 'lock-reporter')} }\n`,
  'packages/lock-metric.yaml': `name: lock-metric\nkind: metric\nsource: { type: npm, package: "${PKG}", version: "^1.0.0" }\n`,
  'tasks/t.yaml': 'name: t\npackage: lock-task\nsupported_metrics: [gap]\n',
  'datasets/d.yaml': 'name: d\npackage: lock-dataset\npath: data\n',
  'models/m.yaml': 'name: m\nadapter: lock-adapter\n',
  'metrics/gap.yaml': 'name: gap\npackage: lock-metric\n',
  'reports/txt.yaml': 'name: txt\npackage: lock-reporter\n',
  'runs/r1.yaml': 'name: r1\ntask: t\nmodel: m\ndataset: d\nmetrics: [gap]\n',
  'experiments/p.yaml': 'name: p\nparallelism: 1\nruns: [r1]\nreports: [txt]\n',
};

/**
 * Plans and runs plan `p` of the project from scratch: a new registry manager and host, as a new
 * `vhb run` would. Each call gets its own empty plugin cache (as on a new machine): the host caches
 * an install by its source, so a warm cache would hand back the 1.0.0 it installed for `^1.0.0`
 * whatever the lock said, and the test would prove nothing.
 */
async function runPlan(cache: string, fresh = false) {
  const config: ProjectConfig = {
    root: project,
    runMode: 'prod',
    registriesDir: join(project, 'registries'),
    resultsDir: join(project, 'results'),
    cacheDir: join(project, '.cache', cache),
    npmRegistry: registry.url,
  };
  const registries = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registries, config, 'p');
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir, npmRegistry: config.npmRegistry });
  const { outcomes } = await runExperiment({ registry: registries, host, plan, fresh });
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-lock-'));
  project = join(work, 'project');
  for (const [file, text] of Object.entries(yaml)) {
    await mkdir(join(project, 'registries', file, '..'), { recursive: true });
    await writeFile(join(project, 'registries', file), text);
  }
  await mkdir(join(project, 'data'), { recursive: true });
  registry = await startVerdaccio();
  // No uplinks: publish the real SDK, its dependencies and the fixture metric 1.0.0.
  if (!existsSync(join(sdkDir, 'dist/index.js'))) await exec('pnpm', ['--filter', '@vhb/sdk', 'build'], { cwd: sdkDir });
  await publishSdk(registry, sdkDir, work);
  await publishMetric('1.0.0', 1);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('runner: pinned re-runs from plugins.lock.json against a real verdaccio', { timeout: 180_000 }, () => {
  let outDir: string;

  it('locks the version and integrity of the metric it installed', async () => {
    const outcome = await runPlan('first');
    expect(outcome.status, outcome.reason).toBe('ok');
    outDir = outcome.outDir;
    // Items: |"abcd" - "ab"| = 2 and |"xyz" - "xyz"| = 0 → mean 1.
    expect(outcome.summary?.metrics[0]?.score).toBe(1);
    const lock = JSON.parse(await readFile(join(outDir, LOCK_FILE), 'utf8'));
    expect(lock['lock-metric']).toMatchObject({ package: PKG, version: '1.0.0', kind: 'metric', source: { type: 'npm' } });
    expect(lock['lock-metric'].integrity).toMatch(/^sha512-/);
    expect(lock['lock-task']).toMatchObject({ version: '1.0.0', source: { type: 'local' }, integrity: null });
  });

  it('re-runs the same results folder with the locked 1.0.0 after 1.1.0 is published', async () => {
    await publishMetric('1.1.0', 10);
    // An empty cache: without the lock, ^1.0.0 would now install 1.1.0 (the fresh test below shows it).
    const outcome = await runPlan('pinned');
    expect(outcome.status, outcome.reason).toBe('ok');
    expect(outcome.outDir).toBe(outDir);
    expect(outcome.summary?.metrics[0]?.score).toBe(1);
    const lock = JSON.parse(await readFile(join(outDir, LOCK_FILE), 'utf8'));
    expect(lock['lock-metric'].version).toBe('1.0.0');
    // The source stays as the registry entry had it; the version is what was installed.
    expect(lock['lock-metric'].source).toEqual({ type: 'npm', package: PKG, version: '^1.0.0' });
  });

  it('re-resolves with fresh: 1.1.0 and its scores (10 × 2 and 10 × 0 → mean 10)', async () => {
    const outcome = await runPlan('fresh', true);
    expect(outcome.status, outcome.reason).toBe('ok');
    expect(outcome.summary?.metrics[0]?.score).toBe(10);
    const lock = JSON.parse(await readFile(join(outDir, LOCK_FILE), 'utf8'));
    expect(lock['lock-metric'].version).toBe('1.1.0');
  });

  it('fails with VHB_E_PLUGIN_LOCK when the tarball is not the one the lock recorded', async () => {
    const lockFile = join(outDir, LOCK_FILE);
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    lock['lock-metric'].integrity = 'sha512-bm90IHRoZSBzYW1lIHRhcmJhbGw=';
    await writeFile(lockFile, JSON.stringify(lock));
    const outcome = await runPlan('integrity');
    expect(outcome.status).toBe('failed');
    expect(outcome.code).toBe('VHB_E_PLUGIN_LOCK');
    expect(outcome.reason).toContain(`${PKG}@1.1.0 with integrity sha512-bm90IHRoZSBzYW1lIHRhcmJhbGw=`);
  });

  it('fails with VHB_E_PLUGIN_LOCK naming the package, the locked version and --fresh when it cannot be installed', async () => {
    const lockFile = join(outDir, LOCK_FILE);
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    lock['lock-metric'].version = '9.9.9';
    lock['lock-metric'].integrity = null;
    await writeFile(lockFile, JSON.stringify(lock));
    const outcome = await runPlan('missing');
    expect(outcome.status).toBe('failed');
    expect(outcome.code).toBe('VHB_E_PLUGIN_LOCK');
    expect(outcome.reason).toContain(`${PKG}@9.9.9`);
    expect(outcome.reason).toContain('--fresh');
  });

  it('fails with VHB_E_PLUGIN_LOCK when the lock file is damaged', async () => {
    await writeFile(join(outDir, LOCK_FILE), '{ not json');
    const outcome = await runPlan('damaged');
    expect(outcome.status).toBe('failed');
    expect(outcome.code).toBe('VHB_E_PLUGIN_LOCK');
    expect(outcome.reason).toContain('--fresh');
  });
});
