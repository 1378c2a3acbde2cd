import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, planExperiment, runExperiment } from '../src/index.js';

const exec = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));

let tmp: string;
let work: string;
let project: string;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=VHB Test', '-c', 'user.email=test@vhb.invalid', '-c', 'commit.gpgsign=false'];
  return (await exec('git', [...identity, ...args], { cwd })).stdout.trim();
}

/** Commits the fixture metric (a plain object, no dependencies): |len(prediction) - len(reference)| × factor. */
async function commitMetric(factor: number): Promise<string> {
  const pkg = {
    name: '@fixtures/lock-git-metric',
    version: '1.0.0',
    type: 'module',
    exports: { '.': { default: './index.js' } },
    vhb: { kind: 'metric', contract: 1 },
  };
  await writeFile(join(work, 'package.json'), JSON.stringify(pkg, null, 2));
  await writeFile(
    join(work, 'index.js'),
    `export default { kind: 'metric', contract: 1, name: 'gap', version: '1.0.0', description: 'Fixture: length gap times ${factor}.',
  algorithmVersion: 1, direction: 'lower',
  score(prediction, references) { return { score: ${factor} * Math.abs(prediction.length - (references[0] ?? '').length) }; },
  aggregate(scores) { return scores.reduce((sum, s) => sum + s.score, 0) / scores.length; } };
`,
  );
  await git(work, 'add', '.');
  await git(work, 'commit', '--quiet', '-m', `factor ${factor}`);
  await git(work, 'push', '--quiet', join(tmp, 'metric.git'), 'main');
  return git(work, 'rev-parse', 'HEAD');
}

/** Plans and runs plan `p` with a new registry manager, host and empty cache, as a new `vhb run` on a new machine would. */
async function runPlan(cache: string, fresh = false) {
  const config: ProjectConfig = {
    root: project,
    runMode: 'prod',
    registriesDir: join(project, 'registries'),
    resultsDir: join(project, 'results'),
    cacheDir: join(project, '.cache', cache),
  };
  const registries = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registries, config, 'p');
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir });
  const { outcomes } = await runExperiment({ registry: registries, host, plan, fresh });
  return outcomes[0]!;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vhb-runner-lock-git-'));
  work = join(tmp, 'work');
  project = join(tmp, 'project');
  await git(tmp, 'init', '--quiet', '-b', 'main', work);
  await git(tmp, 'init', '--quiet', '--bare', '-b', 'main', join(tmp, 'metric.git'));
  const local = (kind: string) => `name: lock-${kind}\nkind: ${kind}\nsource: { type: local, path: ${join(fixtures, `lock-${kind}`)} }\n`;
  const files: Record<string, string> = {
    'packages/lock-task.yaml': local('task'),
    'packages/lock-dataset.yaml': local('dataset'),
    'packages/lock-adapter.yaml': local('adapter'),
    'packages/lock-reporter.yaml': local('reporter'),
    // The entry follows a branch: without a lock, every run takes its newest commit.
    'packages/lock-metric.yaml': `name: lock-metric\nkind: metric\nsource: { type: git, url: ${join(tmp, 'metric.git')}, ref: main }\n`,
    'tasks/t.yaml': 'name: t\npackage: lock-task\nsupported_metrics: [gap]\n',
    'datasets/d.yaml': 'name: d\npackage: lock-dataset\npath: data\n',
    'models/m.yaml': 'name: m\nadapter: lock-adapter\n',
    'metrics/gap.yaml': 'name: gap\npackage: lock-metric\n',
    'reports/txt.yaml': 'name: txt\npackage: lock-reporter\n',
    'runs/r1.yaml': 'name: r1\ntask: t\nmodel: m\ndataset: d\nmetrics: [gap]\n',
    'experiments/p.yaml': 'name: p\nparallelism: 1\nruns: [r1]\nreports: [txt]\n',
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(project, 'registries', file, '..'), { recursive: true });
    await writeFile(join(project, 'registries', file), text);
  }
  await mkdir(join(project, 'data'), { recursive: true });
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('runner: pinned re-runs of a git source', { timeout: 120_000 }, () => {
  it('locks the commit, re-runs at it after the branch moved on, and follows the branch again with fresh', async () => {
    const first = await commitMetric(1);
    const run1 = await runPlan('one');
    expect(run1.status, run1.reason).toBe('ok');
    // |"abcd" - "ab"| = 2, |"xyz" - "xyz"| = 0 → mean 1.
    expect(run1.summary?.metrics[0]?.score).toBe(1);
    const lock = JSON.parse(await readFile(join(run1.outDir, LOCK_FILE), 'utf8'));
    expect(lock['lock-metric']).toMatchObject({
      package: '@fixtures/lock-git-metric',
      commit: first,
      source: { type: 'git', ref: 'main' },
    });

    const second = await commitMetric(10);
    expect(second).not.toBe(first);
    const run2 = await runPlan('two');
    expect(run2.status, run2.reason).toBe('ok');
    expect(run2.summary?.metrics[0]?.score).toBe(1);
    // The re-run writes the same lock: the commit it ran, the source as the registry entry had it.
    expect(JSON.parse(await readFile(join(run2.outDir, LOCK_FILE), 'utf8'))).toEqual(lock);

    // fresh: the branch's newest commit, 10 × 2 and 10 × 0 → mean 10.
    const run3 = await runPlan('three', true);
    expect(run3.status, run3.reason).toBe('ok');
    expect(run3.summary?.metrics[0]?.score).toBe(10);
    expect(JSON.parse(await readFile(join(run3.outDir, LOCK_FILE), 'utf8'))['lock-metric'].commit).toBe(second);
  });

  it('fails with VHB_E_PLUGIN_LOCK naming the locked commit when it is gone', async () => {
    const outDir = join(project, 'results');
    const lockFile = (await exec('find', [outDir, '-name', LOCK_FILE])).stdout.trim().split('\n')[0]!;
    const lock = JSON.parse(await readFile(lockFile, 'utf8'));
    lock['lock-metric'].commit = 'f'.repeat(40);
    await writeFile(lockFile, JSON.stringify(lock));
    const run = await runPlan('four');
    expect(run.status).toBe('failed');
    expect(run.code).toBe('VHB_E_PLUGIN_LOCK');
    expect(run.reason).toContain(`@fixtures/lock-git-metric@1.0.0 (commit ${'f'.repeat(40)})`);
    expect(run.reason).toContain('--fresh');
  });
});
