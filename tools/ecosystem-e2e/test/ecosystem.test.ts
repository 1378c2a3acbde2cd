import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npmPack, packPackage, projectWriter, writeEchoAdapter, writeNpmEntry } from '@vhb-tools/pack-check';
import { type LocalRegistry, packSdkDependencies, startVerdaccio } from '@vhb-tools/registry';
import { main, type Output } from 'vhb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED } from '../src/index.js';

const exec = promisify(execFile);
const here = import.meta.dirname;
const root = join(here, '../../..');
const tsc = join(here, '../node_modules/typescript/bin/tsc');

let work: string;
let registry: LocalRegistry;
let scaffold: string;
let project: string;

const run = (cmd: string, args: string[], cwd: string) =>
  exec(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_cache: join(work, 'npm-cache') } });

beforeAll(async () => {
  work = await fs.mkdtemp(join(tmpdir(), 'vhb-eco-'));
  registry = await startVerdaccio();
  // The registry has no uplink: publish the SDK's dependencies (zod, undici) beside our packages.
  for (const { tarball } of await packSdkDependencies(join(root, 'packages/sdk'), work)) await registry.publish(tarball);
  const dirs: Record<(typeof PUBLISHED)[number], string> = {
    '@vhb/sdk': 'packages/sdk',
    '@vhb/task-ocr': 'plugins/task-ocr',
    '@vhb/dataset-jsonl': 'plugins/dataset-jsonl',
    '@vhb/reporter-markdown': 'plugins/reporter-markdown',
  };
  for (const name of PUBLISHED) await registry.publish(await packPackage(join(root, dirs[name]), work));
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('a third-party metric: scaffold, publish, run in prod, edit in dev, run from a git tag, bump and stay pinned', {
  timeout: 180_000,
}, () => {
  it('scaffolds my-metric with create-vhb-plugin, installs it against the local registry, builds and publishes it with changesets', async () => {
    const parent = join(work, 'src');
    await fs.mkdir(parent);
    await run('node', [join(root, 'packages/create-vhb-plugin/dist/bin.js'), 'my-metric', '--kind', 'metric', '--sdk', '^0.1.0'], parent);
    scaffold = join(parent, 'my-metric');
    // Runtime dependencies (@vhb/sdk, zod) come from verdaccio. The offline registry has no typescript,
    // vitest or @types/node, yet npm resolves devDependencies even with --omit=dev (so does the host when
    // it installs a git source): publish empty stand-ins at the ranges' lowest versions so resolution
    // succeeds, never install them, and build with this workspace's tsc and @types/node.
    const { dependencies, devDependencies } = JSON.parse(await fs.readFile(join(scaffold, 'package.json'), 'utf8'));
    expect(dependencies).toEqual({ '@vhb/sdk': '^0.1.0' });
    expect(Object.keys(devDependencies).sort()).toEqual(['@types/node', 'typescript', 'vitest']);
    for (const [name, range] of Object.entries<string>(devDependencies)) await publishStandIn(name, range.replace(/^\^/, ''));
    await run('npm', ['install', '--registry', registry.url, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], scaffold);
    expect(realpathSync(join(scaffold, 'node_modules/@vhb/sdk'))).toContain(join(scaffold, 'node_modules'));
    await fs.mkdir(join(scaffold, 'node_modules/@types'), { recursive: true });
    await fs.symlink(realpathSync(join(here, '../node_modules/@types/node')), join(scaffold, 'node_modules/@types/node'));
    await run('node', [tsc, '-p', 'tsconfig.json'], scaffold);
    // The changesets flow, in the scaffold's own git repository: `changeset publish` publishes 0.1.0 (not yet
    // on the registry) and tags it v0.1.0; the git-source run below uses that tag.
    await fs.mkdir(join(scaffold, '.changeset'));
    await fs.writeFile(
      join(scaffold, '.changeset/config.json'),
      JSON.stringify({
        changelog: false,
        commit: false,
        fixed: [],
        linked: [],
        access: 'public',
        baseBranch: 'main',
        updateInternalDependencies: 'patch',
        ignore: [],
      }),
    );
    const git = (...args: string[]) => run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], scaffold);
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('add', '-f', 'dist');
    await git('commit', '-q', '-m', 'my-metric 0.1.0');
    await changeset('publish');
    expect((await git('tag', '--list')).stdout.trim()).toBe('v0.1.0');
    const view = await run('npm', ['view', 'my-metric', 'version', '--registry', registry.url], scaffold);
    expect(view.stdout.trim()).toBe('0.1.0');
    await run('git', ['clone', '-q', '--bare', scaffold, join(work, 'my-metric.git')], work);
  });

  it('RUN_MODE=prod installs my-metric from the registry; the report shows its scores', async () => {
    project = await makeProject(registry.url, await fs.readFile(join(scaffold, 'registry/my-metric.yaml'), 'utf8'));
    const first = await vhb(project, 'run', 'eco-plan');
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain('RUN_MODE=prod');
    const lock = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(lock['my-metric']).toMatchObject({ package: 'my-metric', version: '0.1.0', source: { type: 'npm' } });
    expect(lock['my-metric'].integrity).toMatch(/^sha512-/);
    // The echo adapter answers "hello world" for every item. Contains-answer (case and whitespace folded):
    // "hello world" ⊇ "Hello  World" → 1; ⊇ "hello" → 1; ⊇ "goodbye" → 0; mean 2/3.
    expect(await score(project)).toBeCloseTo(2 / 3, 12);
    expect(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/report.md'), 'utf8')).toContain('my-metric@1');
  });

  it('RUN_MODE=dev with an overlay to the scaffold folder uses an edited, rebuilt metric without a publish', async () => {
    await fs.writeFile(
      join(project, 'registries/packages/my-metric.dev.yaml'),
      `source:\n  type: local\n  path: ${JSON.stringify(scaffold)}\n`,
    );
    const file = join(scaffold, 'src/index.ts');
    const source = await fs.readFile(file, 'utf8');
    const edited = source.replace(
      'return { score: containsAnswer(prediction, references, options.caseSensitive) };',
      'return { score: 1 - containsAnswer(prediction, references, options.caseSensitive) };',
    );
    expect(edited).not.toBe(source);
    await fs.writeFile(file, edited);
    await run('node', [tsc, '-p', 'tsconfig.json'], scaffold);
    const dev = await vhb(project, 'run', 'eco-plan', '--mode', 'dev', '--fresh');
    expect(dev.code, dev.err).toBe(0);
    expect(dev.err).toContain('RUN_MODE=dev');
    // Inverted: 1 − (1, 1, 0) = (0, 0, 1); mean 1/3.
    expect(await score(project)).toBeCloseTo(1 / 3, 12);
    const lock = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(lock['my-metric'].source).toMatchObject({ type: 'local' });
    // Nothing new was published.
    const view = await run('npm', ['view', 'my-metric', 'versions', '--json', '--registry', registry.url], scaffold);
    expect(JSON.parse(view.stdout)).toEqual(expect.arrayContaining(['0.1.0']));
    expect([JSON.parse(view.stdout)].flat()).toHaveLength(1);
  });

  it('the same plugin from a git source (local bare repo, tag v0.1.0) resolves and runs the tagged code', async () => {
    await fs.rm(join(project, 'registries/packages/my-metric.dev.yaml'));
    await fs.writeFile(
      join(project, 'registries/packages/my-metric.yaml'),
      `name: my-metric\nkind: metric\nsource:\n  type: git\n  url: ${JSON.stringify(join(work, 'my-metric.git'))}\n  ref: v0.1.0\n`,
    );
    const fromGit = await vhb(project, 'run', 'eco-plan', '--mode', 'prod', '--fresh');
    expect(fromGit.code, fromGit.err).toBe(0);
    const lock = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(lock['my-metric'].source).toMatchObject({ type: 'git' });
    // The tag holds the code as published (not the inverted working copy): 2/3 again.
    expect(await score(project)).toBeCloseTo(2 / 3, 12);
  });

  it('a version bumped and published with changesets leaves a re-run of the old results folder on the pinned version', async () => {
    await fs.writeFile(
      join(project, 'registries/packages/my-metric.yaml'),
      await fs.readFile(join(scaffold, 'registry/my-metric.yaml'), 'utf8'),
    );
    const pinned = await vhb(project, 'run', 'eco-plan', '--mode', 'prod', '--fresh');
    expect(pinned.code, pinned.err).toBe(0);
    expect(await score(project)).toBeCloseTo(2 / 3, 12);
    const before = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    // The changesets flow, in the scaffold's git repository: a changeset, `changeset version`, `changeset publish`.
    // The inverted metric of the dev step is still built in dist/: 0.1.1 scores 1/3.
    await fs.writeFile(join(scaffold, '.changeset/invert.md'), '---\n"my-metric": patch\n---\n\nInvert the score.\n');
    await changeset('version');
    expect(JSON.parse(await fs.readFile(join(scaffold, 'package.json'), 'utf8')).version).toBe('0.1.1');
    await changeset('publish');
    const view = await run('npm', ['view', 'my-metric', 'versions', '--json', '--registry', registry.url], scaffold);
    expect(JSON.parse(view.stdout)).toEqual(['0.1.0', '0.1.1']);
    // Re-run of the same results folder (no --fresh): plugins.lock.json pins 0.1.0 although ^0.1.0 now matches 0.1.1.
    const again = await vhb(project, 'run', 'eco-plan', '--mode', 'prod');
    expect(again.err).toMatch(/5 resolved/);
    expect(again.code, again.err).toBe(0);
    const lock = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(lock['my-metric']).toMatchObject({ package: 'my-metric', version: '0.1.0', source: { type: 'npm' } });
    expect(lock['my-metric'].integrity).toBe(before['my-metric'].integrity);
    expect(await score(project)).toBeCloseTo(2 / 3, 12);

    // --fresh alone re-resolves from the cached environment: ^0.1.0 is still the 0.1.0 installed first.
    const cachedRange = await vhb(project, 'run', 'eco-plan', '--mode', 'prod', '--fresh');
    expect(cachedRange.code, cachedRange.err).toBe(0);
    expect(await score(project)).toBeCloseTo(2 / 3, 12);
    // --update installs the environment again: the range now takes 0.1.1, and its lock says so.
    const updated = await vhb(project, 'run', 'eco-plan', '--mode', 'prod', '--fresh', '--update');
    expect(updated.code, updated.err).toBe(0);
    expect(updated.err).toMatch(/installed \d+ npm plugins into .*\.vhb-cache\/environments\//);
    const newLock = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(newLock['my-metric']).toMatchObject({ version: '0.1.1' });
    expect(await score(project)).toBeCloseTo(1 / 3, 12);
  });
});

/** Runs the workspace's changesets CLI in the scaffold; npm (which it calls) publishes to the local registry only. */
function changeset(command: 'version' | 'publish') {
  return exec('node', [join(root, 'node_modules/@changesets/cli/bin.js'), command], {
    cwd: scaffold,
    maxBuffer: 64 * 1024 * 1024,
    // prepack (npm run build) would need the tsc the scaffold lacks here: dist/ is built beforehand.
    env: {
      ...process.env,
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_registry: registry.url,
      npm_config_userconfig: registry.npmrc,
      npm_config_ignore_scripts: 'true',
    },
  });
}

/** An empty package, so that npm can resolve a devDependency the offline registry lacks; never installed (--omit=dev). */
async function publishStandIn(name: string, version: string): Promise<void> {
  const dir = join(work, 'stand-ins', name);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, 'package.json'), JSON.stringify({ name, version, description: 'test stand-in', license: 'MIT' }));
  await registry.publish(await npmPack(dir, join(work, 'stand-ins')));
}

async function score(project: string): Promise<number> {
  const summary = JSON.parse(await fs.readFile(join(project, 'results/eco-plan/ocr-echo/summary.json'), 'utf8'));
  const metric = summary.metrics.find((m: { id: string }) => m.id === 'my-metric@1');
  expect(metric).toMatchObject({ id: 'my-metric@1', n: 3 });
  return metric.score;
}

async function vhb(project: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false };
  const code = await main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A prod project: task, dataset and reporter from npm (the local registry), a local echo adapter, and my-metric's entry as scaffolded. */
async function makeProject(registryUrl: string, metricEntry: string): Promise<string> {
  const project = join(work, 'project');
  const write = projectWriter(project);
  await write('package.json', JSON.stringify({ name: 'eco-project', private: true, vhb: { runMode: 'prod', npmRegistry: registryUrl } }));
  await fs.mkdir(join(project, 'data/images'), { recursive: true });
  for (const id of ['doc-001', 'doc-002'])
    await fs.copyFile(join(root, `datasets/synthdoc/images/${id}.png`), join(project, `data/images/${id}.png`));
  await write(
    'data/items.jsonl',
    [
      '{"id":"a","image":"images/doc-001.png","references":["Hello  World"]}',
      '{"id":"b","image":"images/doc-002.png","references":["hello"]}',
      '{"id":"c","image":"images/doc-001.png","references":["goodbye"]}',
      '',
    ].join('\n'),
  );
  await writeEchoAdapter(write);
  const npm = (entry: string, pkg: string, kind: string) => writeNpmEntry(write, entry, pkg, kind);
  await npm('task-ocr', '@vhb/task-ocr', 'task');
  await npm('dataset-jsonl', '@vhb/dataset-jsonl', 'dataset');
  await npm('reporter-markdown', '@vhb/reporter-markdown', 'reporter');
  await write('registries/packages/my-metric.yaml', metricEntry);
  await write('registries/tasks/ocr.yaml', 'name: ocr\npackage: task-ocr\nsupported_metrics: [my-metric]\n');
  await write('registries/models/echo.yaml', 'name: echo\nadapter: echo-adapter\n');
  await write('registries/datasets/items.yaml', 'name: items\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n');
  await write('registries/metrics/my-metric.yaml', 'name: my-metric\npackage: my-metric\n');
  await write('registries/reports/markdown.yaml', 'name: markdown\npackage: reporter-markdown\n');
  await write(
    'registries/runs/ocr-echo.yaml',
    'name: ocr-echo\ntask: ocr\nmodel: echo\ndataset: items\nmetrics: [my-metric]\nreports: [markdown]\n',
  );
  await write('registries/experiments/eco-plan.yaml', 'name: eco-plan\nruns: [ocr-echo]\n');
  return project;
}
