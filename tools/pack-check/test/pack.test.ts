import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PluginHost } from '@vhb/core';
import { type LocalRegistry, packSdkDependencies, startVerdaccio } from '@vhb-tools/registry';
import { main, type Output } from 'vhb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  packPackage,
  projectWriter,
  readPackage,
  type WorkspacePackage,
  workspacePlugins,
  writeEchoAdapter,
  writeNpmEntry,
} from '../src/index.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');

let work: string;
let plugins: WorkspacePackage[];
const tarballs = new Map<string, string>();

beforeAll(async () => {
  work = await fs.mkdtemp(join(tmpdir(), 'vhb-pack-'));
  plugins = await workspacePlugins(root);
  const sdk = await readPackage(join(root, 'packages/sdk'));
  for (const pkg of [sdk, ...plugins]) tarballs.set(pkg.name, await packPackage(pkg.dir, work));
}, 180_000);

afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('every plugin package packs, installs from its tarball and loads through the host', { timeout: 300_000 }, () => {
  it('installs all tarballs into an empty folder; each loads as the kind it declares', async () => {
    const folder = join(work, 'empty');
    await fs.mkdir(folder);
    await fs.writeFile(join(folder, 'package.json'), '{ "name": "consumer", "private": true }\n');
    // Third-party dependencies (zod, tesseract.js, undici) come from the npm registry; ours from the tarballs.
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs.values()], {
      cwd: folder,
      maxBuffer: 64 * 1024 * 1024,
    });
    const host = new PluginHost({ root: folder, cacheDir: join(work, 'cache') });
    expect(plugins.length).toBeGreaterThanOrEqual(12);
    for (const plugin of plugins) {
      const path = join('node_modules', plugin.name);
      const loaded = await host.load({ name: plugin.name, source: { type: 'local', path }, kind: plugin.kind as never });
      expect(loaded.plugin.kind, plugin.name).toBe(plugin.kind);
      expect(loaded.entryFile.startsWith(join(folder, path))).toBe(true);
    }
  });
});

describe('prod mode resolves our packages from an npm registry', { timeout: 300_000 }, () => {
  let registry: LocalRegistry;
  let project: string;
  const published = ['@vhb/sdk', '@vhb/task-ocr', '@vhb/dataset-jsonl', '@vhb/metric-cer', '@vhb/metric-anls', '@vhb/reporter-markdown'];

  beforeAll(async () => {
    registry = await startVerdaccio();
    // The registry is offline (no uplink): publish the SDK's dependencies (zod, undici) beside our packages.
    for (const { tarball } of await packSdkDependencies(join(root, 'packages/sdk'), work)) await registry.publish(tarball);
    for (const name of published) await registry.publish(tarballs.get(name) as string);
    project = await makeProject(registry.url);
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('runs a plan whose task, dataset, metrics and reporter are npm packages, then reuses the installs', async () => {
    const first = await vhb(project, 'run', 'prod-plan');
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain('RUN_MODE=prod');
    expect(first.err).toMatch(/6 resolved \(1 cached\)/);
    const lock = JSON.parse(await fs.readFile(join(project, 'results/prod-plan/ocr-echo/plugins.lock.json'), 'utf8'));
    expect(lock['metric-cer']).toMatchObject({ package: '@vhb/metric-cer', version: '0.1.0', source: { type: 'npm' } });
    expect(lock['metric-cer'].integrity).toMatch(/^sha512-/);
    // The echo adapter answers "hello world" for every image: CER against "hello world" is 0, against "hello" 6/5.
    const summary = JSON.parse(await fs.readFile(join(project, 'results/prod-plan/ocr-echo/summary.json'), 'utf8'));
    expect(summary.metrics[0]).toMatchObject({ id: 'cer@1', n: 2 });
    expect(summary.metrics[0].score).toBeCloseTo(6 / 16, 12);
    expect(await fs.readFile(join(project, 'results/prod-plan/ocr-echo/report.md'), 'utf8')).toContain('cer@1');

    const second = await vhb(project, 'run', 'prod-plan', '--fresh');
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/6 resolved \(6 cached\)/);
  });
});

async function vhb(project: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false };
  const code = await main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A project whose registries take every plugin from npm (the given registry), but for a local echo adapter. */
async function makeProject(registryUrl: string): Promise<string> {
  const project = await fs.mkdtemp(join(tmpdir(), 'vhb-prod-'));
  const write = projectWriter(project);
  await write('package.json', JSON.stringify({ name: 'prod-project', private: true, vhb: { runMode: 'prod', npmRegistry: registryUrl } }));
  await fs.mkdir(join(project, 'data/images'), { recursive: true });
  for (const id of ['doc-001', 'doc-002'])
    await fs.copyFile(join(root, `datasets/synthdoc/images/${id}.png`), join(project, `data/images/${id}.png`));
  await write(
    'data/items.jsonl',
    '{"id":"a","image":"images/doc-001.png","references":["hello world"]}\n{"id":"b","image":"images/doc-002.png","references":["hello"]}\n',
  );
  await writeEchoAdapter(write);
  const npm = (entry: string, pkg: string, kind: string) => writeNpmEntry(write, entry, pkg, kind);
  await npm('task-ocr', '@vhb/task-ocr', 'task');
  await npm('dataset-jsonl', '@vhb/dataset-jsonl', 'dataset');
  await npm('metric-cer', '@vhb/metric-cer', 'metric');
  await npm('metric-anls', '@vhb/metric-anls', 'metric');
  await npm('reporter-markdown', '@vhb/reporter-markdown', 'reporter');
  await write('registries/tasks/ocr.yaml', 'name: ocr\npackage: task-ocr\nsupported_metrics: [cer, anls]\n');
  await write('registries/models/echo.yaml', 'name: echo\nadapter: echo-adapter\n');
  await write('registries/datasets/items.yaml', 'name: items\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n');
  await write('registries/metrics/cer.yaml', 'name: cer\npackage: metric-cer\n');
  await write('registries/metrics/anls.yaml', 'name: anls\npackage: metric-anls\n');
  await write('registries/reports/markdown.yaml', 'name: markdown\npackage: reporter-markdown\n');
  await write(
    'registries/runs/ocr-echo.yaml',
    'name: ocr-echo\ntask: ocr\nmodel: echo\ndataset: items\nmetrics: [cer, anls]\nreports: [markdown]\n',
  );
  await write('registries/experiments/prod-plan.yaml', 'name: prod-plan\nruns: [ocr-echo]\n');
  return project;
}
