import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, RegistryManager } from '../src/index.js';
import { removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

async function load(files: Record<string, string>) {
  const root = await tempProject(files);
  return RegistryManager.load({ registriesDir: `${root}/registries` });
}

describe('YAML syntax errors', () => {
  it('reports a stray bracket at its line and column', async () => {
    // Line 3 is `languages: [en]]`: "languages: [en]" is 15 characters, so the stray "]" is at column 16.
    const manager = await load({ 'registries/datasets/x.yaml': 'package: dataset-jsonl\npath: datasets/x\nlanguages: [en]]\n' });
    expect(manager.diagnostics).toHaveLength(1);
    expect(manager.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'VHB_E_REGISTRY_YAML',
      file: 'registries/datasets/x.yaml',
      line: 3,
      column: 16,
      field: '',
    });
    expect(manager.diagnostics[0]?.message).not.toMatch(/at line/);
    expect(manager.get('datasets', 'x')).toBeUndefined();
  });

  it('reports an unquoted ": " inside a value where the value starts', async () => {
    // "description: " is 13 characters; the value `Note: beta` starts at column 14 and reads as a nested mapping.
    const manager = await load({ 'registries/models/m.yaml': 'description: Note: beta\nadapter: a\n' });
    expect(manager.diagnostics).toMatchObject([{ code: 'VHB_E_REGISTRY_YAML', line: 1, column: 14 }]);
  });

  it('reports a duplicated key at the second occurrence', async () => {
    // `package` appears on lines 1 and 3; the second one (line 3, column 1) is the error.
    const manager = await load({ 'registries/metrics/m.yaml': 'package: a\noptions: {}\npackage: b\n' });
    expect(manager.diagnostics).toMatchObject([{ code: 'VHB_E_REGISTRY_YAML', line: 3, column: 1 }]);
    expect(manager.diagnostics[0]?.message).toMatch(/unique/);
  });

  it('refuses a file holding two documents, at the second one', async () => {
    // The second document starts at the "---" on line 3.
    const manager = await load({ 'registries/prompts/two.yaml': 'user: a\n\n---\nuser: b\n' });
    expect(manager.diagnostics).toMatchObject([{ code: 'VHB_E_REGISTRY_MULTI_DOC', line: 3, column: 1 }]);
  });
});

describe('schema errors', () => {
  it('reports each bad value with its line, column and dotted field', async () => {
    const manager = await load({
      'registries/runs/r.yaml': [
        'task: ocr', //                  line 1
        'model: tess', //                line 2
        'dataset: d', //                 line 3
        'generation:', //                line 4
        '  temperature: -1', //          line 5: "  temperature: " is 15 characters, so -1 is at column 16
        'limit: 0', //                   line 6: "limit: " is 7 characters, so 0 is at column 8
        '',
      ].join('\n'),
    });
    expect(manager.diagnostics.map(({ code, line, column, field }) => ({ code, line, column, field }))).toEqual([
      { code: 'VHB_E_REGISTRY_SCHEMA', line: 5, column: 16, field: 'generation.temperature' },
      { code: 'VHB_E_REGISTRY_SCHEMA', line: 6, column: 8, field: 'limit' },
    ]);
    expect(manager.diagnostics[0]?.message).toContain('-1');
    expect(manager.diagnostics[0]?.file).toBe('registries/runs/r.yaml');
  });

  it('names a missing required field and points at the entry', async () => {
    const manager = await load({ 'registries/prompts/p.yaml': 'system: Be brief.\n' });
    expect(manager.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VHB_E_REGISTRY_SCHEMA',
        file: 'registries/prompts/p.yaml',
        line: 1,
        column: 1,
        field: 'user',
        message: 'missing required field "user"',
        hint: 'add "user: <string>" to the entry',
      },
    ]);
  });

  it('explains a value that fits no branch of a union', async () => {
    // metrics: line 4 is "  - 3": the 3 is at column 5, and it is neither a name nor a mapping.
    const manager = await load({ 'registries/runs/r.yaml': 'task: t\nmodel: m\nmetrics:\n  - 3\ndataset: d\n' });
    expect(manager.diagnostics).toMatchObject([
      { field: 'metrics.0', line: 4, column: 5, message: 'metrics.0: expected string or object, got 3' },
    ]);
  });

  it('points at the discriminator of a source whose type is unknown', async () => {
    // Line 3 is "  type: gitx": the value is at column 9.
    const manager = await load({ 'registries/packages/p.yaml': 'kind: metric\nsource:\n  type: gitx\n  url: x\n' });
    expect(manager.diagnostics).toMatchObject([
      { code: 'VHB_E_REGISTRY_SCHEMA', field: 'source.type', line: 3, column: 9, hint: 'use one of: "local", "git", "npm"' },
    ]);
  });

  it('rejects a version that is neither a semver range nor a dist-tag', async () => {
    // Line 5 is "  version: ^^1": the value is at column 12.
    const manager = await load({ 'registries/packages/p.yaml': 'source:\n  type: npm\n  package: x\n\n  version: ^^1\n' });
    expect(manager.diagnostics).toMatchObject([{ field: 'source.version', line: 5, column: 12 }]);
  });

  it('reports an unknown key at the key itself, with "did you mean"', async () => {
    const manager = await load({ 'registries/tasks/ocr.yaml': 'package: task-ocr\nsuported_metrics: [cer]\n' });
    const unknown = manager.diagnostics.find((d) => d.code === 'VHB_E_REGISTRY_UNKNOWN_KEY');
    // Line 2 starts with the misspelt key.
    expect(unknown).toEqual({
      severity: 'error',
      code: 'VHB_E_REGISTRY_UNKNOWN_KEY',
      file: 'registries/tasks/ocr.yaml',
      line: 2,
      column: 1,
      field: 'suported_metrics',
      message: 'unknown key "suported_metrics"',
      hint: 'did you mean "supported_metrics"?',
    });
    // The real key is then missing too.
    expect(manager.diagnostics.filter((d) => d.code === 'VHB_E_REGISTRY_SCHEMA').map((d) => d.field)).toEqual(['supported_metrics']);
  });

  it('suggests keys of the right source variant for a nested unknown key', async () => {
    // Line 4 is "  pakage: x": the key is at column 3; for an npm source the near key is "package".
    const manager = await load({ 'registries/packages/p.yaml': 'source:\n  type: npm\n  version: latest\n  pakage: x\n' });
    expect(manager.diagnostics.find((d) => d.code === 'VHB_E_REGISTRY_UNKNOWN_KEY')).toMatchObject({
      line: 4,
      column: 3,
      field: 'source.pakage',
      hint: 'did you mean "package"?',
    });
  });

  it('formats a diagnostic as file:line:column, then the hint', async () => {
    const manager = await load({ 'registries/prompts/p.yaml': 'usr: hi\n' });
    const unknown = manager.diagnostics.find((d) => d.code === 'VHB_E_REGISTRY_UNKNOWN_KEY');
    expect(unknown && formatDiagnostic(unknown)).toBe(
      'registries/prompts/p.yaml:1:1 error unknown key "usr" (VHB_E_REGISTRY_UNKNOWN_KEY)\n  hint: did you mean "user"?',
    );
  });
});

describe('loading goes on past problems', () => {
  it('loads the other files when one is invalid', async () => {
    const manager = await load({
      'registries/packages/a.yaml': 'source: { type: local, path: plugins/a }\n',
      'registries/packages/b.yaml': 'source: [unclosed\n',
      'registries/packages/c.yaml': 'source: { type: local, path: plugins/c }\n',
      'registries/prompts/p.yaml': 'user: Read the image.\n',
    });
    expect(manager.list('packages').map((p) => p.entry.name)).toEqual(['a', 'c']);
    expect(manager.list('prompts').map((p) => p.entry.name)).toEqual(['p']);
    expect(manager.diagnostics.map((d) => [d.severity, d.file])).toEqual([['error', 'registries/packages/b.yaml']]);
  });

  it('warns about duplicate names, naming both files, and keeps the later file', async () => {
    const manager = await load({
      'registries/metrics/cer.yaml': 'package: metric-cer-old\n',
      // Sorts after cer.yaml, and declares the same name on line 2.
      'registries/metrics/z-cer.yaml': 'description: second definition\nname: cer\npackage: metric-cer-new\n',
    });
    expect(manager.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'VHB_E_REGISTRY_DUPLICATE',
        file: 'registries/metrics/z-cer.yaml',
        line: 2,
        column: 1,
        field: 'name',
        message:
          'metric "cer" is defined in both registries/metrics/cer.yaml and registries/metrics/z-cer.yaml; registries/metrics/z-cer.yaml wins',
        hint: 'rename one of the entries, or delete the file you do not want',
      },
    ]);
    expect(manager.get('metrics', 'cer')?.entry.package).toBe('metric-cer-new');
    expect(manager.list('metrics')).toHaveLength(1);
  });

  it('warns about .yml files and folders that are not a kind', async () => {
    const manager = await load({
      'registries/models/a.yml': 'adapter: x\n',
      'registries/model/b.yaml': 'adapter: x\n',
    });
    expect(manager.diagnostics.map(({ severity, code, file, hint }) => ({ severity, code, file, hint }))).toEqual([
      { severity: 'warning', code: 'VHB_E_REGISTRY_IGNORED_FILE', file: 'registries/model', hint: 'did you mean "models/"?' },
      { severity: 'warning', code: 'VHB_E_REGISTRY_IGNORED_FILE', file: 'registries/models/a.yml', hint: 'rename it to a.yaml' },
    ]);
    expect(manager.list('models')).toEqual([]);
  });

  it('rejects a file stem that is not a valid name when the entry declares none', async () => {
    const manager = await load({ 'registries/prompts/bad name.yaml': 'user: hi\n' });
    expect(manager.diagnostics).toMatchObject([{ code: 'VHB_E_REGISTRY_SCHEMA', field: 'name', line: 1, column: 1 }]);
  });
});
