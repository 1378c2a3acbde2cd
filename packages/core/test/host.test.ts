import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlugin, type MetricPlugin, VhbError } from '@vhb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mod from '../src/host/index.js';

// The host's public surface lives in src/host/index.ts; src/index.ts (another module's file) re-exports it.
const { PluginHost, describeSource, hostErrorCodes, maskSecrets, packageJsonVhb } = mod;

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vhb-host-local-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function host() {
  return new PluginHost({ root: fixtures, cacheDir });
}

async function failure(promise: Promise<unknown>): Promise<VhbError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VhbError);
  return error as VhbError;
}

describe('host: public surface', () => {
  it('pins its exports', () => {
    expect(Object.keys(mod).sort()).toEqual(['PluginHost', 'describeSource', 'hostErrorCodes', 'maskSecrets', 'packageJsonVhb']);
  });

  it('lists exactly its four error codes, each with a description', () => {
    expect(Object.keys(hostErrorCodes).sort()).toEqual([
      'VHB_E_PLUGIN_IMPORT',
      'VHB_E_PLUGIN_INSTALL',
      'VHB_E_PLUGIN_INVALID',
      'VHB_E_PLUGIN_RESOLVE',
    ]);
    for (const description of Object.values(hostErrorCodes)) expect(description.length).toBeGreaterThan(20);
  });

  it('names sources in one line, with registry fallbacks and no secrets', () => {
    expect(describeSource({ type: 'local', path: 'plugins/metric-cer' })).toBe('local plugins/metric-cer');
    expect(describeSource({ type: 'npm', package: '@vhb/metric-cer', version: '^0.1.0', registry: 'http://127.0.0.1:4873/' })).toBe(
      'npm @vhb/metric-cer@^0.1.0 from http://127.0.0.1:4873',
    );
    // No registry on the source: the host's npmRegistry, else npm's own configuration.
    expect(describeSource({ type: 'npm', package: 'x', version: '1.0.0' }, 'http://r.example')).toBe('npm x@1.0.0 from http://r.example');
    expect(describeSource({ type: 'npm', package: 'x', version: '1.0.0' })).toBe("npm x@1.0.0 from npm's configured registry");
    expect(describeSource({ type: 'git', url: 'https://bob:s3cret@git.example/r.git', ref: 'v1', subdirectory: 'p/m' })).toBe(
      'git https://bob:***@git.example/r.git#v1 (subdirectory p/m)',
    );
  });

  it('masks tokens the way npm and git print them', () => {
    expect(maskSecrets('//127.0.0.1:4873/:_authToken=ZDIwZGFi==')).toBe('//127.0.0.1:4873/:_authToken=***');
    expect(maskSecrets('token npm_abcdefghijklmnopqrstuvwxyz0123456789 used')).toBe('token npm_*** used');
    expect(maskSecrets('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(maskSecrets('fetch https://user:pw@host/x failed')).toBe('fetch https://user:***@host/x failed');
    expect(maskSecrets('npm error 404 Not Found - GET http://127.0.0.1:4873/x')).toBe(
      'npm error 404 Not Found - GET http://127.0.0.1:4873/x',
    );
  });
});

describe('host: packageJsonVhb', () => {
  it('reads package.json#vhb', async () => {
    expect(await packageJsonVhb(join(fixtures, 'host-local-metric'))).toEqual({ kind: 'metric', contract: 1 });
    expect(await packageJsonVhb(join(fixtures, 'host-local-throws'))).toBeUndefined();
  });

  it('refuses an unknown kind with VHB_E_PLUGIN_INVALID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vhb-host-vhb-'));
    try {
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'x', vhb: { kind: 'scorer', contract: 1 } }));
      const error = await failure(packageJsonVhb(dir));
      expect(error.code).toBe('VHB_E_PLUGIN_INVALID');
      expect(error.message).toContain('vhb.kind is "scorer"');
      expect(error.hint).toContain('metric');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('host: local sources', () => {
  it('loads a plugin folder in place, relative to the root, without installing', async () => {
    const loaded = await host().load({ name: 'exact', source: { type: 'local', path: 'host-local-metric' }, kind: 'metric' });
    expect(loaded).toMatchObject({
      name: 'exact',
      kind: 'metric',
      packageName: '@fixtures/host-local-metric',
      version: '1.2.3',
      packageDir: join(fixtures, 'host-local-metric'),
      // exports["."] has "types" first: the host must skip it and take "import".
      entryFile: join(fixtures, 'host-local-metric', 'index.js'),
      cached: true,
    });
    expect(loaded.integrity).toBeUndefined();
    expect(checkPlugin(loaded.plugin, 'metric').ok).toBe(true);
    // Fixture definition: 1 when trimmed prediction equals a trimmed reference. "a " vs ["b", "a"] → 1; "c" → 0.
    const metric = loaded.plugin as MetricPlugin;
    expect(metric.score('a ', ['b', 'a'], {}).score).toBe(1);
    expect(metric.score('c', ['b', 'a'], {}).score).toBe(0);
  });

  it('takes the kind from package.json#vhb when the request names none', async () => {
    const loaded = await host().load({ name: 'exact', source: { type: 'local', path: join(fixtures, 'host-local-metric') } });
    expect(loaded.kind).toBe('metric');
  });

  it('refuses a package whose declared kind is not the one the entry expects', async () => {
    const error = await failure(
      host().load({
        name: 'exact',
        file: 'registries/reporters.yaml',
        source: { type: 'local', path: 'host-local-metric' },
        kind: 'reporter',
      }),
    );
    expect(error.code).toBe('VHB_E_PLUGIN_INVALID');
    expect(error.message).toContain('Cannot load plugin "exact" in registries/reporters.yaml (local host-local-metric)');
    expect(error.message).toContain('declares kind "metric"');
    expect(error.hint).toBeTruthy();
  });

  it('lists every contract problem of a bad default export', async () => {
    const error = await failure(
      host().load({ name: 'bad', file: 'registries/metrics.yaml', source: { type: 'local', path: 'host-local-bad' }, kind: 'metric' }),
    );
    expect(error.code).toBe('VHB_E_PLUGIN_INVALID');
    expect(error.message).toContain('Cannot load plugin "bad" in registries/metrics.yaml (local host-local-bad)');
    expect(error.message).toContain('\n  - score: a metric plugin must define score()');
    expect(error.message).toContain('\n  - direction: must be "higher" or "lower"');
    expect(error.hint).toContain('defineMetric');
  });

  it('says how to build a package whose entry file is missing, and does not build it', async () => {
    const error = await failure(host().load({ name: 'unbuilt', source: { type: 'local', path: 'host-local-unbuilt' } }));
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain(
      `${join(fixtures, 'host-local-unbuilt')} has no built entry dist/index.js: run \`pnpm --filter @fixtures/host-local-unbuilt build\``,
    );
    expect(error.hint).toContain('pnpm --filter @fixtures/host-local-unbuilt build');
  });

  it('reports a module that throws while importing as VHB_E_PLUGIN_IMPORT', async () => {
    const error = await failure(host().load({ name: 'throws', source: { type: 'local', path: 'host-local-throws' } }));
    expect(error.code).toBe('VHB_E_PLUGIN_IMPORT');
    expect(error.message).toContain('fixture exploded at import');
    expect((error.cause as Error).message).toBe('fixture exploded at import');
  });

  it('reports a folder that does not exist as VHB_E_PLUGIN_RESOLVE', async () => {
    const error = await failure(host().load({ name: 'ghost', source: { type: 'local', path: 'no-such-plugin' } }));
    expect(error.code).toBe('VHB_E_PLUGIN_RESOLVE');
    expect(error.message).toContain(`folder ${join(fixtures, 'no-such-plugin')} does not exist`);
  });

  it('lets one failing plugin fail alone', async () => {
    const pluginHost = host();
    const [good, bad] = await Promise.allSettled([
      pluginHost.load({ name: 'exact', source: { type: 'local', path: 'host-local-metric' } }),
      pluginHost.load({ name: 'bad', source: { type: 'local', path: 'host-local-bad' } }),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
  });
});
