import { afterAll, describe, expect, it } from 'vitest';
import { RegistryManager } from '../src/index.js';
import { basicFixture, removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

/** The registry-basic fixture plus `files`, loaded in prod mode. */
async function loadWith(files: Record<string, string>) {
  const root = await tempProject(files, { fromBasic: true });
  return RegistryManager.load({ registriesDir: `${root}/registries` });
}

describe('validatePlan', () => {
  it('finds nothing wrong in a consistent plan', async () => {
    const manager = await RegistryManager.load({ registriesDir: `${basicFixture}/registries` });
    expect(manager.validatePlan('smoke')).toEqual([]);
    expect(manager.validateAll()).toEqual([]);
  });

  it('reports an unknown dataset once, where it is written, with the near name and its file', async () => {
    const manager = await loadWith({
      'registries/runs/typo-run.yaml': 'task: ocr\nmodel: tesseract-eng\ndataset: synthdoc-4O\n',
      'registries/experiments/typo.yaml': 'runs: [typo-run, tesseract-synthdoc]\n',
    });
    expect(manager.diagnostics).toEqual([]);
    // Line 3 is "dataset: synthdoc-4O": "dataset: " is 9 characters, so the name is at column 10.
    // "synthdoc-4O" is one substitution (O for 0) away from "synthdoc-40".
    expect(manager.validatePlan('typo')).toEqual([
      {
        severity: 'error',
        code: 'VHB_E_REGISTRY_UNKNOWN_REF',
        file: 'registries/runs/typo-run.yaml',
        line: 3,
        column: 10,
        field: 'dataset',
        message: 'dataset "synthdoc-4O" is not defined',
        hint: 'did you mean "synthdoc-40"? (registries/datasets/synthdoc-40.yaml)',
      },
    ]);
  });

  it('checks an entry reached twice only once', async () => {
    const manager = await loadWith({
      // Line 1 "adapter: adapter-tesseact": the name starts at column 10.
      'registries/models/broken.yaml': 'adapter: adapter-tesseact\n',
      'registries/runs/r1.yaml': 'task: ocr\nmodel: broken\ndataset: synthdoc-40\n',
      'registries/runs/r2.yaml': 'task: ocr\nmodel: broken\ndataset: synthdoc-40\n',
      'registries/experiments/both.yaml': 'runs: [r1, r2]\n',
    });
    expect(manager.validatePlan('both')).toMatchObject([
      {
        file: 'registries/models/broken.yaml',
        line: 1,
        column: 10,
        field: 'adapter',
        message: 'package "adapter-tesseact" is not defined',
        hint: 'did you mean "adapter-tesseract"? (registries/packages/adapter-tesseract.yaml)',
      },
    ]);
  });

  it('follows every kind of reference: metrics as objects, reports, prompts, task requires', async () => {
    const manager = await loadWith({
      'registries/tasks/vqa.yaml': 'package: task-ocr\nrequires: [dataset-jsonl, qqq]\nsupported_metrics: [cer]\n',
      'registries/runs/many.yaml': [
        'task: vqa', //                    line 1
        'model: tesseract-eng', //         line 2
        'dataset: synthdoc-40', //         line 3
        'prompt: zzz-prompt', //           line 4: value at column 9
        'metrics:', //                     line 5
        '  - cer', //                      line 6
        '  - name: xyz', //                line 7: "  - name: " is 10 characters, value at column 11
        'reports: [markdown, html]', //    line 8: "reports: [markdown, " is 20 characters, html at column 21
        '',
      ].join('\n'),
      'registries/experiments/many.yaml': 'runs: [many]\n',
    });
    const found = manager.validatePlan('many').map(({ file, line, column, field, message }) => ({ file, line, column, field, message }));
    // Breadth-first from the plan: the run's own references in field order, then the task's.
    expect(found).toEqual([
      { file: 'registries/runs/many.yaml', line: 4, column: 9, field: 'prompt', message: 'prompt "zzz-prompt" is not defined' },
      { file: 'registries/runs/many.yaml', line: 7, column: 11, field: 'metrics.1.name', message: 'metric "xyz" is not defined' },
      { file: 'registries/runs/many.yaml', line: 8, column: 21, field: 'reports.1', message: 'report "html" is not defined' },
      // tasks/vqa.yaml line 2 "requires: [dataset-jsonl, qqq]": "requires: [dataset-jsonl, " is 26 characters.
      { file: 'registries/tasks/vqa.yaml', line: 2, column: 27, field: 'requires.1', message: 'package "qqq" is not defined' },
    ]);
  });

  it('lists the defined names when none is near', async () => {
    const manager = await loadWith({
      'registries/runs/r.yaml': 'task: ocr\nmodel: tesseract-eng\ndataset: totally-else\n',
      'registries/experiments/e.yaml': 'runs: [r]\n',
    });
    expect(manager.validatePlan('e')[0]?.hint).toBe('define it in registries/datasets/totally-else.yaml, or use one of: synthdoc-40');
  });

  it('refuses a package of the wrong kind', async () => {
    const manager = await loadWith({
      'registries/models/wrong.yaml': 'adapter: metric-cer\n',
      'registries/runs/r.yaml': 'task: ocr\nmodel: wrong\ndataset: synthdoc-40\n',
      'registries/experiments/e.yaml': 'runs: [r]\n',
    });
    expect(manager.validatePlan('e')).toMatchObject([
      {
        code: 'VHB_E_REGISTRY_KIND_MISMATCH',
        file: 'registries/models/wrong.yaml',
        line: 1,
        column: 10,
        message: 'model "wrong" needs an adapter package, but package "metric-cer" is a metric package',
        hint: 'name an adapter package here, or fix "kind" in registries/packages/metric-cer.yaml',
      },
    ]);
  });

  it("points a reference to a broken entry at that entry's own errors", async () => {
    const manager = await loadWith({
      'registries/datasets/broken.yaml': 'package: dataset-jsonl\n', // no path
      'registries/runs/r.yaml': 'task: ocr\nmodel: tesseract-eng\ndataset: broken\n',
      'registries/experiments/e.yaml': 'runs: [r]\n',
    });
    expect(manager.validatePlan('e')).toMatchObject([
      { code: 'VHB_E_REGISTRY_SCHEMA', file: 'registries/datasets/broken.yaml', field: 'path', message: 'missing required field "path"' },
    ]);
  });

  it('reports an unknown plan with the near experiment name', async () => {
    const manager = await RegistryManager.load({ registriesDir: `${basicFixture}/registries` });
    expect(manager.validatePlan('smok')).toEqual([
      {
        severity: 'error',
        code: 'VHB_E_REGISTRY_UNKNOWN_PLAN',
        file: 'registries/experiments',
        line: 0,
        column: 0,
        field: '',
        message: 'experiment "smok" is not defined',
        hint: 'did you mean "smoke"?',
      },
    ]);
  });

  it('loads and validates a plan file outside experiments/', async () => {
    const manager = await loadWith({
      // Line 3 is "  - nightly-missing": the name is at column 5.
      'plans/nightly.yaml': 'title: Nightly\nruns:\n  - nightly-missing\n  - tesseract-synthdoc\n',
    });
    expect(manager.plan('plans/nightly.yaml')?.entry).toEqual({
      name: 'nightly',
      title: 'Nightly',
      parallelism: 1, // default
      runs: ['nightly-missing', 'tesseract-synthdoc'],
    });
    expect(manager.validatePlan('plans/nightly.yaml')).toMatchObject([
      { code: 'VHB_E_REGISTRY_UNKNOWN_REF', file: 'plans/nightly.yaml', line: 3, column: 5, field: 'runs.0' },
    ]);
    // locate works on it too: "title: " is 7 characters.
    expect(manager.locate('experiments', 'plans/nightly.yaml', 'title')).toEqual({ file: 'plans/nightly.yaml', line: 1, column: 8 });
  });

  it('validates a plan file against the experiment schema and reports a missing one', async () => {
    const manager = await loadWith({ 'plans/bad.yaml': 'runs: []\nparallelism: 0\n' });
    // runs needs at least one name (line 1, "runs: " is 6 characters); parallelism at least 1 (line 2, column 14).
    expect(manager.validatePlan('plans/bad.yaml').map(({ field, line, column }) => ({ field, line, column }))).toEqual([
      { field: 'parallelism', line: 2, column: 14 },
      { field: 'runs', line: 1, column: 7 },
    ]);
    expect(manager.validatePlan('plans/none.yaml')).toMatchObject([
      { code: 'VHB_E_REGISTRY_UNKNOWN_PLAN', message: 'plan file plans/none.yaml does not exist' },
    ]);
  });
});

describe('validateAll', () => {
  it('checks entries no plan reaches, after the load diagnostics', async () => {
    const manager = await loadWith({
      'registries/metrics/orphan.yaml': 'package: metric-cerr\n',
      'registries/prompts/bad.yaml': 'user: [\n',
    });
    expect(manager.validatePlan('smoke')).toEqual([]);
    expect(manager.validateAll().map(({ code, file }) => ({ code, file }))).toEqual([
      { code: 'VHB_E_REGISTRY_YAML', file: 'registries/prompts/bad.yaml' },
      { code: 'VHB_E_REGISTRY_UNKNOWN_REF', file: 'registries/metrics/orphan.yaml' },
    ]);
  });
});
