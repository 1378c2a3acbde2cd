import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MetricPlugin, VhbError } from '@vhb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost } from '../src/host/index.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/host-git-metric', import.meta.url));
const SUB = 'plugins/metric-git';

let tmp: string;
let work: string;
let bare: string;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = [
    '-c',
    'user.name=VHB Test',
    '-c',
    'user.email=test@vhb.invalid',
    '-c',
    'commit.gpgsign=false',
    '-c',
    'tag.gpgsign=false',
  ];
  return (await run('git', [...identity, ...args], { cwd })).stdout.trim();
}

function recorder() {
  const lines: string[] = [];
  const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  return { logger, commands: () => lines.filter((line) => line.startsWith('$ ')) };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vhb-host-git-'));
  work = join(tmp, 'work');
  bare = join(tmp, 'plugins.git');
  // A monorepo-like repository: the plugin sits in a subdirectory, its dist/ is not committed.
  await cp(fixture, join(work, SUB), { recursive: true });
  await writeFile(join(work, 'README.md'), 'fixture repository\n');
  await git(tmp, 'init', '--quiet', '-b', 'main', work);
  await git(work, 'add', '.');
  await git(work, 'commit', '--quiet', '-m', 'metric-git 2.0.0');
  await git(work, 'tag', '-a', 'v2.0.0', '-m', 'release 2.0.0');
  await git(tmp, 'clone', '--quiet', '--bare', work, bare);
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('host: git sources', { timeout: 120_000 }, () => {
  it('clones at a tag, builds the uncommitted entry, loads it, and reuses the clone next time', async () => {
    const cacheDir = join(tmp, 'cache-a');
    const tagged = await git(work, 'rev-parse', 'v2.0.0^{commit}');
    // A relative URL is taken from the host's root.
    const source = { type: 'git' as const, url: './plugins.git', ref: 'v2.0.0', subdirectory: SUB };
    const loaded = await new PluginHost({ root: tmp, cacheDir }).load({ name: 'contains', source, kind: 'metric' });

    const [folder] = await readdir(join(cacheDir, 'plugins'));
    expect(folder).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded).toMatchObject({
      name: 'contains',
      kind: 'metric',
      packageName: '@fixtures/host-git-metric',
      version: '2.0.0',
      packageDir: join(cacheDir, 'plugins', folder!, 'repo', SUB),
      entryFile: join(cacheDir, 'plugins', folder!, 'repo', SUB, 'dist/index.js'),
      cached: false,
    });
    // Fixture definition: 1 when the prediction contains the first reference. "total: 42" ⊃ "42" → 1; "41" → 0.
    expect((loaded.plugin as MetricPlugin).score('total: 42', ['42'], {}).score).toBe(1);
    expect((loaded.plugin as MetricPlugin).score('total: 41', ['42'], {}).score).toBe(0);
    // The clone is at the tagged commit (the annotated tag peeled), recorded in the marker.
    expect(await git(join(cacheDir, 'plugins', folder!, 'repo'), 'rev-parse', 'HEAD')).toBe(tagged);

    const { logger, commands } = recorder();
    const again = await new PluginHost({ root: tmp, cacheDir, logger }).load({ name: 'contains', source });
    expect(again.cached).toBe(true);
    expect(again.entryFile).toBe(loaded.entryFile);
    // Only the ref is asked of the remote: no clone, no npm.
    expect(commands().map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual(['$ git ls-remote']);
  });

  it('installs a new clone when a branch moves', async () => {
    const cacheDir = join(tmp, 'cache-b');
    const host = new PluginHost({ root: tmp, cacheDir });
    const source = { type: 'git' as const, url: bare, ref: 'main', subdirectory: SUB };
    const first = await host.load({ name: 'contains', source });
    expect(first.cached).toBe(false);

    await writeFile(join(work, 'CHANGELOG.md'), 'moved\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'move main');
    await git(work, 'push', '--quiet', bare, 'main');

    const second = await host.load({ name: 'contains', source });
    expect(second.cached).toBe(false);
    expect(second.packageDir).not.toBe(first.packageDir);
    expect((await readdir(join(cacheDir, 'plugins'))).length).toBe(2);
  });

  it('reports a ref the repository does not have as VHB_E_PLUGIN_RESOLVE naming the source', async () => {
    const cacheDir = join(tmp, 'cache-c');
    const source = { type: 'git' as const, url: bare, ref: 'v9.9.9', subdirectory: SUB };
    const error = await new PluginHost({ root: tmp, cacheDir }).load({ name: 'contains', file: 'registries/metrics.yaml', source }).then(
      () => {
        throw new Error('expected the load to fail');
      },
      (e: unknown) => e as VhbError,
    );
    expect(error).toBeInstanceOf(VhbError);
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain(`Cannot load plugin "contains" in registries/metrics.yaml (git ${bare}#v9.9.9 (subdirectory ${SUB}))`);
    expect(error.message).toContain('ref "v9.9.9" is not a branch, tag or commit');
    expect(error.hint).toContain('git ls-remote');
  });

  it('refuses a subdirectory that leaves the repository', async () => {
    const source = { type: 'git' as const, url: bare, ref: 'v2.0.0', subdirectory: '../outside' };
    const error = await new PluginHost({ root: tmp, cacheDir: join(tmp, 'cache-d') }).load({ name: 'contains', source }).then(
      () => {
        throw new Error('expected the load to fail');
      },
      (e: unknown) => e as VhbError,
    );
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain('subdirectory "../outside" leaves the repository');
    expect(await readdir(join(tmp, 'cache-d', 'plugins'))).toEqual([]);
  });
});
