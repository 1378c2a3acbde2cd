import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { readPredictions } from '@vhb/sdk';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planExperiment, runExperiment } from '../src/index.js';
import { plugins, vqaRegistries } from './helpers/vqa-project.js';

const _here = fileURLToPath(new URL('.', import.meta.url));

let work: string;
let engine: TestEngine;

async function writeTree(root: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
}

function configOf(root: string): ProjectConfig {
  return {
    root,
    runMode: 'prod',
    registriesDir: join(root, 'registries'),
    resultsDir: join(root, 'results'),
    cacheDir: join(root, '.vhb-cache'),
  };
}

beforeAll(async () => {
  for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
    expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first (pnpm --filter @vhb/runner... build)`).toBe(true);
  }
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-prompts-'));
  engine = await startTestEngine({ behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
});
beforeEach(() => engine.reset());
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('planExperiment: which prompt a run uses', () => {
  const registries = {
    'registries/packages/t.yaml': 'name: t\nkind: task\nsource: { type: local, path: t }\n',
    'registries/packages/d.yaml': 'name: d\nkind: dataset\nsource: { type: local, path: d }\n',
    'registries/packages/a.yaml': 'name: a\nkind: adapter\nsource: { type: local, path: a }\n',
    'registries/packages/x.yaml': 'name: x\nkind: metric\nsource: { type: local, path: x }\n',
    'registries/tasks/plain.yaml': 'name: plain\npackage: t\nsupported_metrics: [x]\n',
    'registries/tasks/single.yaml': 'name: single\npackage: t\nsupported_metrics: [x]\ndefault_prompt: generic\n',
    'registries/tasks/ruled.yaml':
      'name: ruled\npackage: t\nsupported_metrics: [x]\nprompts:\n  - prompt: receipt\n    when: { doc_type: receipt }\n  - prompt: generic\n',
    'registries/datasets/d.yaml': 'name: d\npackage: d\npath: data\n',
    'registries/models/m.yaml': 'name: m\nadapter: a\n',
    'registries/metrics/x.yaml': 'name: x\npackage: x\n',
    'registries/prompts/generic.yaml': 'system: You are {{model}}.\nuser: Read it.\n',
    'registries/prompts/receipt.yaml': 'user: Read the {{metadata.doc_type}}.\n',
    'registries/runs/plain.yaml': 'task: plain\nmodel: m\ndataset: d\n',
    'registries/runs/single-task.yaml': 'task: single\nmodel: m\ndataset: d\n',
    'registries/runs/ruled-task.yaml': 'task: ruled\nmodel: m\ndataset: d\n',
    'registries/runs/run-prompt.yaml': 'task: ruled\nmodel: m\ndataset: d\nprompt: receipt\n',
    'registries/runs/run-rules.yaml':
      'task: single\nmodel: m\ndataset: d\nprompts:\n  - prompt: receipt\n    when: { doc_type: [receipt, invoice] }\n',
    'registries/experiments/all.yaml': 'runs: [plain, single-task, ruled-task, run-prompt, run-rules]\nreports: []\n',
  };

  it("uses the run's prompts, else its prompt, else the task's prompts, else its default_prompt, else none", async () => {
    const root = join(work, 'precedence');
    await writeTree(root, registries);
    const config = configOf(root);
    const registry = await RegistryManager.load({ root, registriesDir: config.registriesDir });
    expect(registry.validatePlan('all')).toEqual([]);
    const specs = Object.fromEntries(planExperiment(registry, config, 'all').runs.map((run) => [run.name, run.spec]));
    const generic = { id: 'generic', system: 'You are {{model}}.', user: 'Read it.' };
    const receipt = { id: 'receipt', user: 'Read the {{metadata.doc_type}}.' };
    const prompts = (name: string) => ({ prompt: specs[name]?.prompt, promptRules: specs[name]?.promptRules });
    expect(prompts('plain')).toEqual({ prompt: undefined, promptRules: undefined });
    expect(prompts('single-task')).toEqual({ prompt: generic, promptRules: undefined });
    expect(prompts('ruled-task')).toEqual({
      prompt: undefined,
      promptRules: [{ prompt: receipt, when: { doc_type: 'receipt' } }, { prompt: generic }],
    });
    // A run's single prompt replaces the task's rules.
    expect(prompts('run-prompt')).toEqual({ prompt: receipt, promptRules: undefined });
    expect(prompts('run-rules')).toEqual({
      prompt: undefined,
      promptRules: [{ prompt: receipt, when: { doc_type: ['receipt', 'invoice'] } }],
    });
  });
});

describe('prompt rules end to end', { timeout: 60_000 }, () => {
  const items = [
    { id: 'r1', question: 'total?', references: ['x'], metadata: { doc_type: 'receipt', language: 'ru' } },
    { id: 'r2', question: 'total?', references: ['x'], metadata: { doc_type: 'receipt', language: 'en' } },
    { id: 'r3', question: 'total?', references: ['x'], metadata: { doc_type: 'receipt' } },
    { id: 'l1', question: 'sender?', references: ['x'], metadata: { doc_type: 'letter', language: 'en' } },
    { id: 'l2', question: 'sender?', references: ['x'], metadata: { doc_type: 'letter', language: 'ru' } },
  ];
  const run = (rules: string) => `name: r\ntask: vqa\nmodel: m\ndataset: d\nreports: [json]\ngroup_by: [doc_type]\nprompts:\n${rules}`;
  const twoRules = '  - prompt: receipt\n    when: { doc_type: receipt }\n  - prompt: generic\n';

  async function project(name: string) {
    const root = join(work, name);
    await writeTree(root, {
      ...Object.fromEntries(
        Object.entries(vqaRegistries(engine.baseUrl, '{ concurrency: 2 }')).map(([file, text]) => [`registries/${file}`, text]),
      ),
      'registries/prompts/receipt.yaml': 'name: receipt\nuser: "RECEIPT {{id}} ({{metadata.doc_type}}) on {{dataset}}: {{question}}"\n',
      'registries/prompts/receipt-ru.yaml': 'name: receipt-ru\nuser: "ЧЕК {{id}} [{{metadata.language}}]: {{question}}"\n',
      'registries/prompts/generic.yaml': 'name: generic\nuser: "GENERIC {{id}} [{{metadata.language}}]: {{question}}"\n',
      'registries/experiments/p.yaml': 'name: p\nruns: [r]\n',
      'registries/runs/r.yaml': run(twoRules),
      'data/items.jsonl': `${items.map((item) => JSON.stringify(item)).join('\n')}\n`,
    });
    return configOf(root);
  }

  async function runPlan(config: ProjectConfig) {
    const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir });
    expect(registry.validatePlan('p')).toEqual([]);
    const plan = planExperiment(registry, config, 'p');
    const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir });
    const { outcomes } = await runExperiment({ registry, host, plan, env: {} });
    expect(outcomes[0]?.status, outcomes[0]?.reason).toBe('ok');
    return outcomes[0] as NonNullable<(typeof outcomes)[0]>;
  }

  const userTexts = () =>
    engine.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => {
        const messages = (r.body as { messages: { role: string; content: unknown }[] }).messages;
        const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
        return typeof content === 'string' ? content : (content as { type: string; text?: string }[]).find((p) => p.type === 'text')?.text;
      })
      .sort();

  it('records the prompt each item got, fails an item missing a metadata key, and the report shows the prompts per group', async () => {
    const config = await project('e2e');
    const outcome = await runPlan(config);
    const records = [...(await readPredictions(join(outcome.outDir, 'predictions.jsonl'))).values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    // Receipts get "receipt"; letters fall back to "generic". l-items render {{metadata.language}}.
    expect(records.map((r) => [r.id, r.prompt, r.error?.code ?? null])).toEqual([
      ['l1', 'generic', null],
      ['l2', 'generic', null],
      ['r1', 'receipt', null],
      ['r2', 'receipt', null],
      ['r3', 'receipt', null],
    ]);
    // What the model was sent: the chosen template, filled ({{dataset}} from the run).
    expect(userTexts()).toEqual([
      'GENERIC l1 [en]: sender?',
      'GENERIC l2 [ru]: sender?',
      'RECEIPT r1 (receipt) on d: total?',
      'RECEIPT r2 (receipt) on d: total?',
      'RECEIPT r3 (receipt) on d: total?',
    ]);
    const summary = JSON.parse(await readFile(join(outcome.outDir, 'summary.json'), 'utf8'));
    expect(summary.prompts).toEqual({ generic: 2, receipt: 3 });
    expect(summary.groups[0].rows.map((row: { key: unknown; prompts: unknown }) => [row.key, row.prompts])).toEqual([
      [{ doc_type: 'letter' }, { generic: 2 }],
      [{ doc_type: 'receipt' }, { receipt: 3 }],
    ]);
    const report = JSON.parse(await readFile(join(outcome.outDir, 'report.json'), 'utf8'));
    expect(report.groups[0].rows.map((row: { prompts: unknown }) => row.prompts)).toEqual([{ generic: 2 }, { receipt: 3 }]);

    // A third, more specific rule: Russian receipts get "receipt-ru". On re-run only r1 changes
    // prompt, so only r1 is asked again; r3 (no language) stays on "receipt".
    engine.reset();
    await writeFile(
      join(config.root, 'registries/runs/r.yaml'),
      run(`  - prompt: receipt-ru\n    when: { doc_type: receipt, language: ru }\n${twoRules}`),
    );
    await runPlan(config);
    expect(userTexts()).toEqual(['ЧЕК r1 [ru]: total?']);
    const again = await readPredictions(join(outcome.outDir, 'predictions.jsonl'));
    expect([...again.values()].map((r) => [r.id, r.prompt]).sort()).toEqual([
      ['l1', 'generic'],
      ['l2', 'generic'],
      ['r1', 'receipt-ru'],
      ['r2', 'receipt'],
      ['r3', 'receipt'],
    ]);
    const regrouped = JSON.parse(await readFile(join(outcome.outDir, 'summary.json'), 'utf8'));
    expect(regrouped.groups[0].rows[1].prompts).toEqual({ receipt: 2, 'receipt-ru': 1 });

    // Every item on the generic prompt, which needs metadata.language: r3 has none and fails alone.
    engine.reset();
    await writeFile(join(config.root, 'registries/runs/r.yaml'), run('  - prompt: generic\n'));
    const last = await runPlan(config);
    const failed = [...(await readPredictions(join(outcome.outDir, 'predictions.jsonl'))).values()].filter((r) => r.error);
    expect(failed.map((r) => [r.id, r.prompt, r.error?.code, r.error?.message])).toEqual([
      [
        'r3',
        'generic',
        'VHB_E_PROMPT_MISSING',
        'item r3 has no metadata key "language", which prompt "generic" needs ({{metadata.language}})',
      ],
    ]);
    expect(userTexts()).toEqual(['GENERIC r1 [ru]: total?', 'GENERIC r2 [en]: total?']);
    expect(last.summary?.items).toEqual({ total: 5, succeeded: 4, failed: 1 });
  });

  it('a rule list without a fallback fails the items no rule matches with VHB_E_PROMPT_NO_MATCH', async () => {
    const config = await project('no-fallback');
    await writeFile(join(config.root, 'registries/runs/r.yaml'), run('  - prompt: receipt\n    when: { doc_type: receipt }\n'));
    const outcome = await runPlan(config);
    const records = [...(await readPredictions(join(outcome.outDir, 'predictions.jsonl'))).values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    expect(records.map((r) => [r.id, r.prompt, r.error?.code ?? null])).toEqual([
      ['l1', '(none)', 'VHB_E_PROMPT_NO_MATCH'],
      ['l2', '(none)', 'VHB_E_PROMPT_NO_MATCH'],
      ['r1', 'receipt', null],
      ['r2', 'receipt', null],
      ['r3', 'receipt', null],
    ]);
    expect(records[0]?.error?.message).toBe('no prompt rule matches item l1 (doc_type=letter)');
  });
});
