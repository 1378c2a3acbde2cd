import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MetricPlugin, VhbError } from '@vhb/sdk';
import { type LocalRegistry, publishSdk, startVerdaccio } from '@vhb-tools/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost } from '../src/host/index.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const sdkDir = join(here, '../../sdk');
const fixture = join(here, 'fixtures/host-npm-metric');
const PKG = '@fixtures/host-npm-metric';
const PKG_TWO = '@fixtures/host-npm-metric-two';

let registry: LocalRegistry;
let work: string;

/** Packs a folder with `npm pack` (or `pnpm pack`, which rewrites workspace: ranges) and returns the tarball path. */
async function pack(tool: 'npm' | 'pnpm', dir: string): Promise<string> {
  const args = tool === 'npm' ? ['pack', dir, '--ignore-scripts', '--pack-destination', work] : ['pack', '--pack-destination', work];
  const { stdout } = await run(tool, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  const name = stdout.trim().split('\n').pop()!.trim();
  return name.startsWith('/') ? name : join(work, name);
}

/** A logger that remembers every command the host ran. */
function recorder() {
  const lines: string[] = [];
  const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  return { logger, commands: () => lines.filter((line) => line.startsWith('$ ')) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vhb-host-npm-'));
  registry = await startVerdaccio();
  // The registry has no uplink, so everything the fixture needs is published here: the real SDK
  // (built if its dist is missing), its zod, and the fixture plugin itself.
  if (!existsSync(join(sdkDir, 'dist/index.js'))) await run('pnpm', ['--filter', '@vhb/sdk', 'build'], { cwd: sdkDir });
  // npm cannot pack a folder inside pnpm's store layout ("Exit handler never called"): pack a copy.
  await publishSdk(registry, sdkDir, work);
  const two = await fixtureCopy(PKG_TWO, '1.0.0');
  for (const tarball of [await pack('npm', fixture), await pack('npm', two)]) await registry.publish(tarball);
}, 120_000);

/** A copy of the fixture plugin under another name or version, to publish. */
async function fixtureCopy(name: string, version: string): Promise<string> {
  const dir = join(work, `${name.replace('/', '+')}-${version}`);
  await cp(fixture, dir, { recursive: true });
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ ...pkg, name, version }));
  return dir;
}

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('host: npm sources against a real verdaccio', { timeout: 120_000 }, () => {
  it('installs into a content-addressed cache folder and loads the plugin', async () => {
    const cacheDir = join(work, 'cache-a');
    const host = new PluginHost({ root: here, cacheDir });
    const source = { type: 'npm' as const, package: PKG, version: '^1.0.0', registry: registry.url };
    const loaded = await host.load({ name: 'length-gap', file: 'registries/metrics.yaml', source, kind: 'metric' });

    expect(loaded).toMatchObject({ name: 'length-gap', kind: 'metric', packageName: PKG, version: '1.0.0', source, cached: false });
    const [folder] = await readdir(join(cacheDir, 'plugins'));
    expect(folder).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.packageDir).toBe(join(cacheDir, 'plugins', folder!, 'node_modules/@fixtures/host-npm-metric'));
    expect(loaded.entryFile).toBe(join(loaded.packageDir, 'index.js'));
    // The integrity must be the one the registry holds for the tarball we published.
    const packument = (await (await fetch(`${registry.url}/${PKG.replace('/', '%2f')}`)).json()) as {
      versions: Record<string, { dist: { integrity: string } }>;
    };
    expect(loaded.integrity).toBe(packument.versions['1.0.0']!.dist.integrity);
    expect(loaded.integrity).toMatch(/^sha512-/);
    // Fixture definition: |len(prediction) - len(first reference)|: "abcd" vs "ab" → 2.
    expect((loaded.plugin as MetricPlugin).score('abcd', ['ab'], {}).score).toBe(2);
    expect(loaded.plugin.options?.safeParse({}).success).toBe(true);

    // A second host with the same cache finds the marker and runs nothing.
    const marker = join(cacheDir, 'plugins', folder!, '.vhb-install.json');
    const before = (await stat(marker)).mtimeMs;
    const { logger, commands } = recorder();
    const again = await new PluginHost({ root: here, cacheDir, logger }).load({ name: 'length-gap', source });
    expect(again.cached).toBe(true);
    expect(again.packageDir).toBe(loaded.packageDir);
    expect(again.integrity).toBe(loaded.integrity);
    expect(commands()).toEqual([]);
    expect((await stat(marker)).mtimeMs).toBe(before);
    expect(await readdir(join(cacheDir, 'plugins'))).toEqual([folder]);
  });

  it('installs again when the cached package was deleted by hand', async () => {
    const cacheDir = join(work, 'cache-a');
    const source = { type: 'npm' as const, package: PKG, version: '^1.0.0', registry: registry.url };
    const [folder] = await readdir(join(cacheDir, 'plugins'));
    await rm(join(cacheDir, 'plugins', folder!, 'node_modules'), { recursive: true });
    const loaded = await new PluginHost({ root: here, cacheDir }).load({ name: 'length-gap', source });
    expect(loaded.cached).toBe(false);
    expect(existsSync(loaded.entryFile)).toBe(true);
  });

  it('installs once when two loads of the same source run at once (registry from the host options)', async () => {
    const cacheDir = join(work, 'cache-b');
    const { logger, commands } = recorder();
    const host = new PluginHost({ root: here, cacheDir, npmRegistry: `${registry.url}/`, logger });
    const source = { type: 'npm' as const, package: PKG, version: '1.0.0' };
    const [a, b] = await Promise.all([host.load({ name: 'one', source }), host.load({ name: 'two', source })]);
    expect(commands().filter((line) => line.startsWith('$ npm install'))).toHaveLength(1);
    expect(commands()[0]).toContain(`--registry ${registry.url}/`);
    expect([a.name, b.name]).toEqual(['one', 'two']);
    expect(a.packageDir).toBe(b.packageDir);
    expect(a.plugin).toBe(b.plugin);
  });

  it('names the entry, its file and the source when the package does not exist', async () => {
    const cacheDir = join(work, 'cache-c');
    const host = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url });
    const source = { type: 'npm' as const, package: '@fixtures/no-such-plugin', version: '^1.0.0' };
    const error = await host.load({ name: 'ghost', file: 'registries/metrics.yaml', source }).then(
      () => {
        throw new Error('expected the load to fail');
      },
      (e: unknown) => e as VhbError,
    );
    expect(error).toBeInstanceOf(VhbError);
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain(
      `Cannot load plugin "ghost" in registries/metrics.yaml (npm @fixtures/no-such-plugin@^1.0.0 from ${registry.url})`,
    );
    expect(error.message).toContain('E404');
    expect(error.hint).toContain('package name and version');
    expect(error.message).not.toContain(registry.token);
    // Nothing half-installed is left behind to be mistaken for a cache hit.
    expect(await readdir(join(cacheDir, 'plugins'))).toEqual([]);
  });

  it('reports a version the registry does not have as VHB_E_PLUGIN_RESOLVE', async () => {
    const host = new PluginHost({ root: here, cacheDir: join(work, 'cache-d') });
    const source = { type: 'npm' as const, package: PKG, version: '^9.0.0', registry: registry.url };
    const error = await host.load({ name: 'length-gap', source }).then(
      () => {
        throw new Error('expected the load to fail');
      },
      (e: unknown) => e as VhbError,
    );
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain('ETARGET');
  });

  it('reports an unreachable registry as VHB_E_PLUGIN_INSTALL with a hint', async () => {
    const host = new PluginHost({ root: here, cacheDir: join(work, 'cache-e') });
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const source = { type: 'npm' as const, package: PKG, version: '1.0.0', registry: 'http://127.0.0.1:9' };
    // npm would retry for over a minute by default; the host passes npm's environment through.
    process.env.npm_config_fetch_retries = '0';
    const error = await host
      .load({ name: 'length-gap', source })
      .then(
        () => {
          throw new Error('expected the load to fail');
        },
        (e: unknown) => e as VhbError,
      )
      .finally(() => delete process.env.npm_config_fetch_retries);
    expect(error.code).toBe('VHB_E_PLUGIN_INSTALL');
    expect(error.message).toContain('npm error code ECONNREFUSED');
    // npm's stack frames are left out of the message.
    expect(error.message).not.toMatch(/^npm error\s+at /m);
    expect(error.hint).toContain('reachable');
  });

  it('prepares a set of npm plugins in one environment folder, sharing one @vhb/sdk; the same set again is a cache hit', async () => {
    const cacheDir = join(work, 'cache-env');
    const { logger, commands } = recorder();
    const host = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url, logger });
    const one = { name: 'gap', source: { type: 'npm' as const, package: PKG, version: '^1.0.0' } };
    const two = { name: 'gap-two', source: { type: 'npm' as const, package: PKG_TWO, version: '1.0.0' } };
    const [environment] = await host.prepare([one, two]);
    expect(environment).toMatchObject({ cached: false, specs: [`${PKG}@^1.0.0`, `${PKG_TWO}@1.0.0`] });
    expect(environment!.dir).toMatch(new RegExp(`^${cacheDir}/environments/[0-9a-f]{64}-[0-9a-z]+$`));
    expect(commands().filter((line) => line.startsWith('$ npm install'))).toHaveLength(1);

    const [a, b] = await Promise.all([host.load(one), host.load(two)]);
    expect(a.packageDir).toBe(join(environment!.dir, 'node_modules', PKG));
    expect(b.packageDir).toBe(join(environment!.dir, 'node_modules', PKG_TWO));
    expect(a.integrity).toMatch(/^sha512-/);
    // One SDK for both: npm hoisted it, neither plugin carries its own copy.
    expect(existsSync(join(environment!.dir, 'node_modules/@vhb/sdk/package.json'))).toBe(true);
    expect(existsSync(join(a.packageDir, 'node_modules'))).toBe(false);
    expect(existsSync(join(b.packageDir, 'node_modules'))).toBe(false);
    expect(commands().filter((line) => line.startsWith('$ npm install'))).toHaveLength(1);
    expect(existsSync(join(cacheDir, 'plugins'))).toBe(false);

    // Another host, the set in the other order: the same folder, nothing installed.
    const again = recorder();
    const host2 = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url, logger: again.logger });
    const [same] = await host2.prepare([two, one]);
    expect(same).toMatchObject({ dir: environment!.dir, cached: true });
    expect((await host2.load(one)).cached).toBe(true);
    expect(again.commands()).toEqual([]);
  });

  it('a set that cannot install together leaves each plugin to its own install: the good one loads, the bad one names its entry', async () => {
    const cacheDir = join(work, 'cache-env-bad');
    const host = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url });
    const good = { name: 'gap', source: { type: 'npm' as const, package: PKG, version: '1.0.0' } };
    const bad = {
      name: 'ghost',
      file: 'registries/packages/ghost.yaml',
      source: { type: 'npm' as const, package: '@fixtures/no-such-plugin', version: '1.0.0' },
    };
    expect(await host.prepare([good, bad])).toEqual([]);
    // Nothing half-installed is left behind to be mistaken for a complete environment.
    expect(await readdir(join(cacheDir, 'environments'))).toEqual([]);
    expect((await host.load(good)).version).toBe('1.0.0');
    await expect(host.load(bad)).rejects.toMatchObject({
      code: 'VHB_E_PLUGIN_RESOLVE',
      message: expect.stringContaining('Cannot load plugin "ghost" in registries/packages/ghost.yaml'),
    });
  });

  it('refresh installs the environment again, so a range picks up a release published since', async () => {
    const cacheDir = join(work, 'cache-env-refresh');
    const one = { name: 'gap', source: { type: 'npm' as const, package: PKG, version: '^1.0.0' } };
    const first = await new PluginHost({ root: here, cacheDir, npmRegistry: registry.url }).prepare([one]);
    await registry.publish(await pack('npm', await fixtureCopy(PKG, '1.1.0')));

    const cachedHost = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url });
    expect(await cachedHost.prepare([one])).toMatchObject([{ dir: first[0]!.dir, cached: true }]);
    expect((await cachedHost.load(one)).version).toBe('1.0.0');

    const freshHost = new PluginHost({ root: here, cacheDir, npmRegistry: registry.url });
    const [refreshed] = await freshHost.prepare([one], { refresh: true });
    expect(refreshed).toMatchObject({ cached: false });
    // A new folder, so a process that imported the old install does not reuse its modules.
    expect(refreshed!.dir).not.toBe(first[0]!.dir);
    expect((await freshHost.load(one)).version).toBe('1.1.0');
    // The pointer names the new folder; the old one is gone, and nothing else is left beside them.
    const folder = basename(refreshed!.dir);
    const pointer = `${folder.split('-')[0]}.json`;
    expect((await readdir(join(cacheDir, 'environments'))).sort()).toEqual([folder, pointer].sort());
    expect(await new PluginHost({ root: here, cacheDir, npmRegistry: registry.url }).prepare([one])).toMatchObject([
      { dir: refreshed!.dir, cached: true },
    ]);
  });
});
