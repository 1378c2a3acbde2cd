import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MetricPlugin, VhbError } from '@vhb/sdk';
import { type LocalRegistry, startVerdaccio } from '@vhb-tools/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost } from '../src/host/index.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const sdkDir = join(here, '../../sdk');
const fixture = join(here, 'fixtures/host-npm-metric');
const PKG = '@fixtures/host-npm-metric';

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
  const zodDir = join(work, 'zod');
  await cp(realpathSync(join(sdkDir, 'node_modules/zod')), zodDir, { recursive: true });
  for (const tarball of [await pack('pnpm', sdkDir), await pack('npm', zodDir), await pack('npm', fixture)]) {
    await registry.publish(tarball);
  }
}, 120_000);

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
});
