import { afterAll, describe, expect, it } from 'vitest';
import { RegistryManager } from '../src/index.js';
import { basicFixture, removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

const loadDev = () => RegistryManager.load({ registriesDir: `${basicFixture}/registries`, runMode: 'dev' });

describe('RegistryManager.load with runMode dev (*.dev.yaml overlays)', () => {
  it('loads the same fixture without a diagnostic', async () => {
    expect((await loadDev()).diagnostics).toEqual([]);
  });

  it("overrides a metric's package source with a local path, keeping the entry's other keys", async () => {
    const cer = (await loadDev()).get('packages', 'metric-cer');
    // metric-cer.dev.yaml changes source.type from npm to local, so its source replaces the base's
    // (package, version and registry do not carry over); kind and description come from metric-cer.yaml.
    expect(cer?.entry).toEqual({
      name: 'metric-cer',
      kind: 'metric',
      description: 'Character error rate',
      source: { type: 'local', path: 'plugins/metric-cer' },
    });
    // The base file still stands for the entry.
    expect(cer?.file).toBe('registries/packages/metric-cer.yaml');
  });

  it('merges a source whose type the overlay leaves alone', async () => {
    // adapter-tesseract.dev.yaml only sets source.version.
    expect((await loadDev()).get('packages', 'adapter-tesseract')?.entry.source).toEqual({
      type: 'npm',
      package: '@vhb/adapter-tesseract',
      version: '^0.2.0',
    });
  });

  it('merges nested objects, deletes keys set to null, and replaces arrays and scalars', async () => {
    const manager = await loadDev();
    // Base options {psm: 6, workers: 2}; overlay {psm: 3, workers: null}; resources: null deletes the block.
    expect(manager.get('models', 'tesseract-eng')?.entry).toEqual({
      name: 'tesseract-eng',
      description: 'Tesseract 5, English',
      adapter: 'adapter-tesseract',
      model_id: 'eng',
      options: { psm: 3 },
    });
    const run = manager.get('runs', 'tesseract-synthdoc')?.entry;
    // Base metrics ['cer', {name: cer, version: 1, ...}] is replaced as a whole by ['cer'], not merged item by item.
    expect(run?.metrics).toEqual(['cer']);
    expect(run?.limit).toBe(2);
    // Untouched by the overlay.
    expect(run?.group_by).toEqual(['doc_type', ['doc_type', 'language']]);
  });

  it('defines dev-only entries from an overlay without a base file', async () => {
    const manager = await loadDev();
    expect(manager.list('models').map((m) => m.entry.name)).toEqual(['local-echo', 'tesseract-eng']);
    expect(manager.get('models', 'local-echo')).toMatchObject({
      entry: { name: 'local-echo', adapter: 'adapter-tesseract', model_id: 'echo' },
      file: 'registries/models/local-echo.dev.yaml',
      line: 1,
      column: 1,
    });
  });

  it('locates each field in the file its value came from', async () => {
    const manager = await loadDev();
    // metric-cer.dev.yaml line 4 is "  path: plugins/metric-cer": the value starts at column 9.
    expect(manager.locate('packages', 'metric-cer', 'source.path')).toEqual({
      file: 'registries/packages/metric-cer.dev.yaml',
      line: 4,
      column: 9,
    });
    // metric-cer.yaml line 2 is "description: Character error rate": the value starts at column 14.
    expect(manager.locate('packages', 'metric-cer', 'description')).toEqual({
      file: 'registries/packages/metric-cer.yaml',
      line: 2,
      column: 14,
    });
  });

  it('validates the merged entry and points at the overlay for what the overlay wrote', async () => {
    const root = await tempProject({
      'registries/packages/metric-wer.yaml': 'kind: metric\nsource:\n  type: npm\n  package: "@vhb/metric-wer"\n',
      // No `type: local`, so this merges into the npm source, where `path` is not a key.
      'registries/packages/metric-wer.dev.yaml': 'source:\n  path: plugins/metric-wer\n',
    });
    const manager = await RegistryManager.load({ registriesDir: `${root}/registries`, runMode: 'dev' });
    expect(manager.get('packages', 'metric-wer')).toBeUndefined();
    // Line 2 of the overlay is "  path: plugins/metric-wer": the key is at column 3.
    expect(manager.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VHB_E_REGISTRY_UNKNOWN_KEY',
        file: 'registries/packages/metric-wer.dev.yaml',
        line: 2,
        column: 3,
        field: 'source.path',
        message: 'unknown key "path" in source',
        hint: 'allowed keys here: type, package, version, registry',
      },
    ]);
    // The same files in prod: the overlay is not read, so nothing is wrong.
    expect((await RegistryManager.load({ registriesDir: `${root}/registries` })).diagnostics).toEqual([]);
  });
});
