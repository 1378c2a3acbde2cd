import { afterAll, describe, expect, it } from 'vitest';
import { REGISTRY_KINDS, RegistryManager, registryJsonSchemas } from '../src/index.js';
import { basicFixture, removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

const loadBasic = () => RegistryManager.load({ registriesDir: `${basicFixture}/registries` });

describe('RegistryManager.load on a valid project (prod mode)', () => {
  it('loads every kind without a diagnostic', async () => {
    const manager = await loadBasic();
    expect(manager.diagnostics).toEqual([]);
    expect(manager.runMode).toBe('prod');
    expect(manager.root).toBe(basicFixture);
    expect(manager.list('packages').map((p) => p.entry.name)).toEqual([
      'adapter-tesseract',
      'dataset-jsonl',
      'metric-cer',
      'reporter-markdown',
      'task-ocr',
    ]);
    // local-echo.dev.yaml is a dev-only entry: absent in prod.
    expect(manager.list('models').map((m) => m.entry.name)).toEqual(['tesseract-eng']);
    expect(manager.list('experiments').map((e) => e.entry.name)).toEqual(['smoke']);
  });

  it('names entries after their file stem and fills defaults', async () => {
    const manager = await loadBasic();
    expect(manager.get('packages', 'reporter-markdown')?.entry).toEqual({
      name: 'reporter-markdown',
      kind: 'reporter',
      source: {
        type: 'git',
        url: 'https://github.com/example/vhb-plugins.git',
        ref: 'HEAD', // default
        subdirectory: 'plugins/reporter-markdown',
      },
    });
    // prod: the base file's npm source, untouched by metric-cer.dev.yaml.
    expect(manager.get('packages', 'metric-cer')?.entry.source).toEqual({
      type: 'npm',
      package: '@vhb/metric-cer',
      version: '^0.1.0',
      registry: 'http://localhost:4873',
    });
    expect(manager.get('experiments', 'smoke')?.entry).toEqual({
      name: 'smoke',
      title: 'Smoke test',
      parallelism: 2,
      runs: ['tesseract-synthdoc'],
      reports: ['markdown'],
    });
  });

  it('keeps snake_case keys, string-or-object metrics and nested group_by as written', async () => {
    const run = (await loadBasic()).get('runs', 'tesseract-synthdoc');
    expect(run?.entry.metrics).toEqual(['cer', { name: 'cer', version: 1, options: { normalize: false } }]);
    expect(run?.entry.generation).toEqual({ max_tokens: 512, temperature: 0 });
    expect(run?.entry.group_by).toEqual(['doc_type', ['doc_type', 'language']]);
    expect(run?.entry.limit).toBe(10);
  });

  it('returns where each entry is defined, relative to the project root', async () => {
    const manager = await loadBasic();
    // No `name:` key, so the entry starts where the file's mapping does: line 1, column 1.
    expect(manager.get('runs', 'tesseract-synthdoc')).toMatchObject({
      file: 'registries/runs/tesseract-synthdoc.yaml',
      line: 1,
      column: 1,
    });
    expect(manager.get('datasets', 'synthdoc-4O')).toBeUndefined();
  });

  it('locates a field of an entry', async () => {
    const manager = await loadBasic();
    // models/tesseract-eng.yaml line 5 is "  psm: 6": the value 6 is the 8th character.
    expect(manager.locate('models', 'tesseract-eng', 'options.psm')).toEqual({
      file: 'registries/models/tesseract-eng.yaml',
      line: 5,
      column: 8,
    });
    // Array indices work as path segments: runs/tesseract-synthdoc.yaml line 8 is "  - name: cer",
    // so metrics.1.version is line 9 "    version: 1", the 1 at column 14.
    expect(manager.locate('runs', 'tesseract-synthdoc', ['metrics', 1, 'version'])).toMatchObject({ line: 9, column: 14 });
    // A field not written falls back to the nearest one that is: the options mapping starts at "psm" (line 5, col 3).
    expect(manager.locate('models', 'tesseract-eng', 'options.max_pixels')).toMatchObject({ line: 5, column: 3 });
    expect(manager.locate('models', 'nope', 'options')).toBeUndefined();
  });

  it('reads an entry whose name is declared instead of taken from the file stem', async () => {
    const root = await tempProject({ 'registries/prompts/p1.yaml': 'name: ocr.v2\nuser: Read it\n' });
    const manager = await RegistryManager.load({ registriesDir: `${root}/registries` });
    expect(manager.get('prompts', 'p1')).toBeUndefined();
    // The `name` key on line 1, column 1 marks where the entry starts.
    expect(manager.get('prompts', 'ocr.v2')).toEqual({
      entry: { name: 'ocr.v2', user: 'Read it' },
      file: 'registries/prompts/p1.yaml',
      line: 1,
      column: 1,
    });
  });

  it('throws VHB_E_REGISTRY_DIR when the registries folder is missing', async () => {
    await expect(RegistryManager.load({ registriesDir: `${basicFixture}/no-such-folder` })).rejects.toMatchObject({
      code: 'VHB_E_REGISTRY_DIR',
    });
  });
});

describe('registryJsonSchemas', () => {
  it('gives one strict JSON Schema per kind, with name optional and defaults not required', () => {
    const schemas = registryJsonSchemas();
    expect(Object.keys(schemas)).toEqual([...REGISTRY_KINDS]);
    const experiments = schemas.experiments as { required: string[]; additionalProperties: boolean; properties: Record<string, any> };
    // parallelism has a default and name defaults to the file stem: only runs is required.
    expect(experiments.required).toEqual(['runs']);
    expect(experiments.additionalProperties).toBe(false);
    expect(experiments.properties.parallelism.default).toBe(1);
    const source = (schemas.packages as { properties: Record<string, any> }).properties.source;
    expect(source.oneOf.map((option: any) => option.properties.type.const)).toEqual(['local', 'git', 'npm']);
    expect((schemas.tasks as { required: string[] }).required).toEqual(['package', 'supported_metrics']);
  });
});
