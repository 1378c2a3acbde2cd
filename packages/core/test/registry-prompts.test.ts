import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, RegistryManager } from '../src/index.js';
import { removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

/** The registry-basic fixture plus `files`, loaded in prod mode. */
async function loadWith(files: Record<string, string>) {
  const root = await tempProject(
    {
      'registries/prompts/receipt.yaml': 'user: Read the receipt {{id}}.\n',
      'registries/prompts/receipt-ru.yaml': 'user: Прочитай чек {{id}} ({{metadata.language}}).\n',
      'registries/prompts/generic.yaml': 'system: You read {{dataset}} with {{model}} for {{task}}.\nuser: Transcribe.\n',
      ...files,
    },
    { fromBasic: true },
  );
  return RegistryManager.load({ registriesDir: `${root}/registries` });
}

const run = (prompts: string) => `task: ocr\nmodel: tesseract-eng\ndataset: synthdoc-40\n${prompts}`;

describe('prompt templates', () => {
  it('accepts the allowed variables, and variables the prompt declares', async () => {
    const manager = await loadWith({
      'registries/prompts/labels.yaml': 'variables: [labels]\nuser: "One of: {{labels}} ({{ question }})"\n',
    });
    expect(manager.diagnostics).toEqual([]);
    expect(manager.get('prompts', 'labels')?.entry.variables).toEqual(['labels']);
  });

  it('rejects a variable that is not one of the allowed forms, at the template, with a near name', async () => {
    const manager = await loadWith({
      // Line 2 is the user template; its value starts at column 7.
      'registries/prompts/typo.yaml': 'system: Be brief.\nuser: "{{questoin}} and {{metadata.}}"\n',
    });
    expect(manager.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VHB_E_REGISTRY_PROMPT_VARIABLE',
        file: 'registries/prompts/typo.yaml',
        line: 2,
        column: 7,
        field: 'user',
        message: 'prompt "typo": {{questoin}} is not a template variable',
        hint: expect.stringMatching(/^did you mean \{\{question\}\}\? Otherwise use \{\{question\}\}/),
      },
      expect.objectContaining({ line: 2, message: 'prompt "typo": {{metadata.}} names no metadata key' }),
    ]);
    expect(manager.get('prompts', 'typo')).toBeUndefined();
  });

  it("a run naming a prompt with a bad variable fails validation with the prompt's error", async () => {
    const manager = await loadWith({
      'registries/prompts/bad.yaml': 'user: "{{labels}}"\n',
      'registries/runs/uses-bad.yaml': run('prompt: bad\n'),
      'registries/experiments/bad.yaml': 'runs: [uses-bad]\n',
    });
    expect(manager.validatePlan('bad').map((d) => [d.code, d.file, d.line])).toEqual([
      ['VHB_E_REGISTRY_PROMPT_VARIABLE', 'registries/prompts/bad.yaml', 1],
    ]);
  });
});

describe('prompt rules', () => {
  it('loads a rule list with a fallback; the rules reference prompts', async () => {
    const manager = await loadWith({
      'registries/runs/rules.yaml': run(
        [
          'prompts:',
          '  - prompt: receipt-ru',
          '    when: { doc_type: receipt, language: [ru, uk] }',
          '  - prompt: receipt',
          '    when: { doc_type: receipt }',
          '  - prompt: generic',
          '',
        ].join('\n'),
      ),
      'registries/experiments/rules.yaml': 'runs: [rules]\n',
    });
    expect(manager.diagnostics).toEqual([]);
    expect(manager.validatePlan('rules')).toEqual([]);
    expect(manager.get('runs', 'rules')?.entry.prompts).toEqual([
      { prompt: 'receipt-ru', when: { doc_type: 'receipt', language: ['ru', 'uk'] } },
      { prompt: 'receipt', when: { doc_type: 'receipt' } },
      { prompt: 'generic' },
    ]);
  });

  it('reports an undefined prompt of a rule where it is written', async () => {
    const manager = await loadWith({
      'registries/runs/rules.yaml': run('prompts:\n  - prompt: receipt-ru\n    when: { language: ru }\n  - prompt: generik\n'),
      'registries/experiments/rules.yaml': 'runs: [rules]\n',
    });
    // Line 7 is "  - prompt: generik": the name starts at column 13.
    expect(manager.validatePlan('rules')).toMatchObject([
      {
        code: 'VHB_E_REGISTRY_UNKNOWN_REF',
        file: 'registries/runs/rules.yaml',
        line: 7,
        column: 13,
        field: 'prompts.1.prompt',
        message: 'prompt "generik" is not defined',
        hint: expect.stringContaining('did you mean "generic"?'),
      },
    ]);
  });

  it('two rules of equal specificity that one item can meet are a tie: both rules and their lines are named', async () => {
    const manager = await loadWith({
      'registries/runs/tie.yaml': run(
        [
          'prompts:', // line 4
          '  - prompt: receipt', // line 5
          '    when: { doc_type: receipt }',
          '  - prompt: receipt-ru', // line 7
          '    when: { language: ru }',
          '  - prompt: generic',
          '',
        ].join('\n'),
      ),
      'registries/experiments/tie.yaml': 'runs: [tie]\n',
    });
    const tie = {
      severity: 'error',
      code: 'VHB_E_REGISTRY_PROMPT_TIE',
      file: 'registries/runs/tie.yaml',
      line: 7,
      column: 5,
      field: 'prompts.1',
      message:
        'prompt rules tie: prompts.0 ("receipt", registries/runs/tie.yaml:5:5) and prompts.1 ("receipt-ru", registries/runs/tie.yaml:7:5): both have 1 condition, and an item with doc_type=receipt, language=ru meets both',
      hint: "add a condition to the rule that should win, or make the two rules' values disjoint",
    };
    // `vhb validate` (validateAll) and the check before a run (validatePlan) both report it.
    expect(manager.diagnostics).toEqual([tie]);
    expect(manager.validatePlan('tie')).toEqual([tie]);
    expect(manager.get('runs', 'tie')).toBeUndefined();
    expect(formatDiagnostic(tie as never).split('\n')[0]).toBe(
      `registries/runs/tie.yaml:7:5 error ${tie.message} (VHB_E_REGISTRY_PROMPT_TIE)`,
    );
  });

  it('equal specificity with disjoint values, or a run condition that excludes the run, is no tie', async () => {
    const manager = await loadWith({
      'registries/runs/ok.yaml': run(
        [
          'prompts:',
          '  - prompt: receipt',
          '    when: { doc_type: [receipt, invoice] }',
          '  - prompt: receipt-ru',
          '    when: { doc_type: letter }',
          // Other model: never chosen in this run, so no tie with the rules above.
          '  - prompt: generic',
          '    when: { model: qwen }',
          '  - prompt: generic',
          '',
        ].join('\n'),
      ),
    });
    expect(manager.diagnostics).toEqual([]);
  });

  it('two fallbacks tie; overlapping lists tie; a key spelled twice and prompt + prompts are errors', async () => {
    const manager = await loadWith({
      'registries/runs/two-fallbacks.yaml': run('prompts:\n  - prompt: receipt\n  - prompt: generic\n'),
      'registries/runs/lists.yaml': run(
        'prompts:\n  - prompt: receipt\n    when: { language: [en, ru] }\n  - prompt: generic\n    when: { metadata.language: [ru, de] }\n',
      ),
      'registries/runs/twice.yaml': run('prompts:\n  - prompt: receipt\n    when: { language: ru, metadata.language: ru }\n'),
      'registries/runs/both.yaml': run('prompt: generic\nprompts:\n  - prompt: receipt\n'),
    });
    const byFile = (name: string) => manager.diagnostics.filter((d) => d.file === `registries/runs/${name}.yaml`);
    expect(byFile('two-fallbacks').map((d) => [d.code, d.line, d.message])).toEqual([
      [
        'VHB_E_REGISTRY_PROMPT_TIE',
        6,
        'prompt rules tie: prompts.0 ("receipt", registries/runs/two-fallbacks.yaml:5:5) and prompts.1 ("generic", registries/runs/two-fallbacks.yaml:6:5): both have no "when", so both are the fallback',
      ],
    ]);
    expect(byFile('lists').map((d) => d.message)).toEqual([expect.stringContaining('an item with language=ru meets both')]);
    expect(byFile('twice').map((d) => [d.code, d.line, d.field, d.message])).toEqual([
      [
        'VHB_E_REGISTRY_SCHEMA',
        6,
        'prompts.0.when.metadata.language',
        'prompts.0.when tests one metadata key twice: "language" and "metadata.language"',
      ],
    ]);
    expect(byFile('both').map((d) => [d.code, d.line, d.message])).toEqual([
      ['VHB_E_REGISTRY_SCHEMA', 5, '"prompt" and "prompts" are both given'],
    ]);
  });

  it("checks a task entry's rules too, with the task's own name as context", async () => {
    const manager = await loadWith({
      'registries/tasks/ocr2.yaml': [
        'package: task-ocr',
        'supported_metrics: [cer]',
        'prompts:',
        '  - prompt: receipt',
        '    when: { task: ocr2 }',
        '  - prompt: receipt-ru',
        '    when: { language: ru }',
        '  - prompt: generic',
        '    when: { task: other }', // never this task: no tie
        '',
      ].join('\n'),
    });
    expect(manager.diagnostics.map((d) => [d.code, d.file, d.line, d.field])).toEqual([
      ['VHB_E_REGISTRY_PROMPT_TIE', 'registries/tasks/ocr2.yaml', 6, 'prompts.1'],
    ]);
  });

  it('the schema rejects an empty value list and an unknown rule key', async () => {
    const manager = await loadWith({
      'registries/runs/bad.yaml': run('prompts:\n  - prompt: receipt\n    when: { language: [] }\n    wen: {}\n'),
    });
    expect(manager.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ['VHB_E_REGISTRY_SCHEMA', 'prompts.0.when.language'],
      ['VHB_E_REGISTRY_UNKNOWN_KEY', 'prompts.0.wen'],
    ]);
  });
});
