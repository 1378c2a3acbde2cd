import { describe, expect, it } from 'vitest';
import {
  bindRunVariables,
  type DatasetItem,
  findPromptTies,
  type PromptRule,
  promptCounts,
  renderPrompt,
  renderTemplate,
  ruleMatches,
  selectPrompt,
  templateVariables,
  VhbError,
  variableProblem,
} from '../src/index.js';

const item = (id: string, metadata: Record<string, unknown> = {}, question?: string): DatasetItem => ({
  id,
  references: [],
  metadata,
  ...(question === undefined ? {} : { question }),
});
const context = { task: 'ocr', model: 'qwen', dataset: 'synthdoc' };
const p = (id: string) => ({ id, user: id });

function thrown(fn: () => unknown): VhbError {
  try {
    fn();
  } catch (error) {
    return error as VhbError;
  }
  throw new Error('did not throw');
}

describe('templates', () => {
  it('lists variables once each, spaces and any metadata key included', () => {
    expect(templateVariables('{{ question }} {{metadata.тип}} {{question}} {{ id}} {not} {{ }}')).toEqual([
      'question',
      'metadata.тип',
      'id',
    ]);
  });

  it('allows question, id, task, model, dataset, metadata.<key> and declared names only', () => {
    for (const name of ['question', 'id', 'task', 'model', 'dataset', 'metadata.doc_type']) expect(variableProblem(name)).toBeUndefined();
    expect(variableProblem('labels')).toBe('{{labels}} is not a template variable');
    expect(variableProblem('labels', ['labels'])).toBeUndefined();
    expect(variableProblem('metadata.')).toBe('{{metadata.}} names no metadata key');
    expect(variableProblem('meta.doc_type')).toBe('{{meta.doc_type}} is not a template variable');
  });

  it('fills item variables; numbers and booleans as text', () => {
    const it1 = item('r1', { doc_type: 'receipt', total: 12.5, paid: false }, 'Total?');
    expect(renderTemplate('{{id}}: {{question}} {{metadata.doc_type}} {{metadata.total}} {{metadata.paid}}', it1)).toBe(
      'r1: Total? receipt 12.5 false',
    );
  });

  it('a missing metadata key or question fails with VHB_E_PROMPT_MISSING naming item, key and prompt; never an empty string', () => {
    const error = thrown(() =>
      renderPrompt({ id: 'receipt-ru', user: 'Язык: {{metadata.language}}' }, item('r7', { doc_type: 'receipt' })),
    );
    expect(error).toBeInstanceOf(VhbError);
    expect(error.code).toBe('VHB_E_PROMPT_MISSING');
    expect(error.message).toBe('item r7 has no metadata key "language", which prompt "receipt-ru" needs ({{metadata.language}})');
    expect(error.hint).toContain('add "language"');
    // null counts as missing; so does a question the item lacks.
    expect(thrown(() => renderTemplate('{{metadata.language}}', item('r8', { language: null }))).code).toBe('VHB_E_PROMPT_MISSING');
    expect(thrown(() => renderTemplate('{{question}}', item('r9'))).message).toBe(
      'item r9 has no question, which the prompt needs ({{question}})',
    );
  });

  it('an unknown variable, or a run variable not bound, fails with VHB_E_PROMPT_VARIABLE', () => {
    expect(thrown(() => renderTemplate('{{labels}}', item('a'))).code).toBe('VHB_E_PROMPT_VARIABLE');
    expect(thrown(() => renderPrompt({ id: 'g', user: 'x', system: '{{model}}' }, item('a'))).message).toBe(
      'prompt "g" uses {{model}}, which only a run fills in',
    );
  });

  it('bindRunVariables fills task, model and dataset and leaves item variables for renderPrompt', () => {
    const bound = bindRunVariables(
      { id: 'g', system: 'You are {{ model }}.', user: '{{task}} on {{dataset}}: {{metadata.doc_type}}' },
      context,
    );
    expect(bound).toEqual({ id: 'g', system: 'You are qwen.', user: 'ocr on synthdoc: {{metadata.doc_type}}' });
    expect(renderPrompt(bound, item('a', { doc_type: 'form' }))).toEqual({ system: 'You are qwen.', prompt: 'ocr on synthdoc: form' });
  });
});

describe('selectPrompt: most specific matching rule wins', () => {
  // The rules of the docs' example, in an order that does not favour the specific ones.
  const rules: PromptRule[] = [
    { prompt: p('generic') },
    { prompt: p('receipt'), when: { doc_type: 'receipt' } },
    { prompt: p('receipt-ru'), when: { doc_type: 'receipt', language: 'ru' } },
    { prompt: p('ru-any'), when: { language: ['ru', 'uk'], doc_type: ['letter', 'form'] } },
    { prompt: p('qwen-invoice'), when: { model: 'qwen', 'metadata.doc_type': 'invoice' } },
    { prompt: p('other-model'), when: { model: 'llava', doc_type: 'invoice', language: 'en' } },
  ];
  const choose = (metadata: Record<string, unknown>) => selectPrompt(rules, item('x', metadata), context).id;

  it.each([
    // 2 conditions beat 1, which beats the fallback.
    [{ doc_type: 'receipt', language: 'ru' }, 'receipt-ru'],
    [{ doc_type: 'receipt', language: 'en' }, 'receipt'],
    [{ doc_type: 'receipt' }, 'receipt'],
    // A list allows any of its values.
    [{ doc_type: 'form', language: 'uk' }, 'ru-any'],
    [{ doc_type: 'form', language: 'en' }, 'generic'],
    // `model` tests the run: qwen here; the llava rule never matches, though it has 3 conditions.
    [{ doc_type: 'invoice', language: 'en' }, 'qwen-invoice'],
    [{}, 'generic'],
  ])('%j → %s', (metadata, expected) => {
    expect(choose(metadata)).toBe(expected);
  });

  it('compares values as text, and never matches objects', () => {
    const yearRules: PromptRule[] = [{ prompt: p('new'), when: { year: 2024 } }, { prompt: p('old') }];
    expect(selectPrompt(yearRules, item('a', { year: '2024' }), context).id).toBe('new');
    expect(selectPrompt(yearRules, item('a', { year: 2024 }), context).id).toBe('new');
    expect(selectPrompt(yearRules, item('a', { year: { v: 2024 } }), context).id).toBe('old');
    expect(ruleMatches({ flag: true }, item('a', { flag: true }), context)).toBe(true);
    expect(ruleMatches({ flag: true }, item('a', { flag: 'false' }), context)).toBe(false);
  });

  it('a metadata key named like a run field is written metadata.<key>', () => {
    const r: PromptRule[] = [
      { prompt: p('meta-task'), when: { 'metadata.task': 'kv' } },
      { prompt: p('run-task'), when: { task: 'ocr' } },
    ];
    expect(ruleMatches(r[0]?.when, item('a', { task: 'kv' }), context)).toBe(true);
    expect(ruleMatches(r[1]?.when, item('a', { task: 'kv' }), context)).toBe(true);
    expect(ruleMatches(r[1]?.when, item('a'), { ...context, task: 'vqa' })).toBe(false);
  });

  it('no matching rule is VHB_E_PROMPT_NO_MATCH naming the item and its values; a tie at run time is VHB_E_PROMPT_TIE', () => {
    const error = thrown(() =>
      selectPrompt([{ prompt: p('receipt'), when: { doc_type: 'receipt' } }], item('l1', { doc_type: 'letter' }), context),
    );
    expect([error.code, error.message]).toEqual(['VHB_E_PROMPT_NO_MATCH', 'no prompt rule matches item l1 (doc_type=letter)']);
    const tie = thrown(() =>
      selectPrompt(
        [
          { prompt: p('a'), when: { doc_type: 'receipt' } },
          { prompt: p('b'), when: { language: 'ru' } },
        ],
        item('t1', { doc_type: 'receipt', language: 'ru' }),
        context,
      ),
    );
    expect([tie.code, tie.message]).toEqual(['VHB_E_PROMPT_TIE', 'prompt rules "a" and "b" both match item t1 with 1 condition each']);
  });
});

describe('findPromptTies', () => {
  it('finds pairs of equal specificity whose values overlap on every shared key, with an example item', () => {
    expect(
      findPromptTies([
        { when: { doc_type: 'receipt' } },
        { when: { language: 'ru' } },
        { when: { doc_type: ['letter', 'form'] } },
        { when: { doc_type: 'receipt', language: 'ru' } },
        {},
      ]),
    ).toEqual([
      { first: 0, second: 1, example: { doc_type: 'receipt', language: 'ru' } },
      { first: 1, second: 2, example: { language: 'ru', doc_type: 'letter' } },
    ]);
  });

  it('disjoint values, different specificity and rules the context excludes do not tie', () => {
    expect(findPromptTies([{ when: { doc_type: 'a' } }, { when: { doc_type: ['b', 'c'] } }, {}])).toEqual([]);
    expect(findPromptTies([{ when: { model: 'x' } }, { when: { doc_type: 'a' } }], { model: 'y' })).toEqual([]);
    expect(findPromptTies([{ when: { model: 'x' } }, { when: { doc_type: 'a' } }], { model: 'x' })).toEqual([
      { first: 0, second: 1, example: { model: 'x', doc_type: 'a' } },
    ]);
    // Without a context, a model condition can hold.
    expect(findPromptTies([{ when: { model: 'x' } }, { when: { doc_type: 'a' } }])).toHaveLength(1);
    expect(findPromptTies([{}, {}])).toEqual([{ first: 0, second: 1, example: {} }]);
  });

  it('the two spellings of a metadata key are one key', () => {
    expect(findPromptTies([{ when: { doc_type: 'a' } }, { when: { 'metadata.doc_type': ['a', 'b'] } }])).toEqual([
      { first: 0, second: 1, example: { doc_type: 'a' } },
    ]);
  });
});

describe('promptCounts', () => {
  it('counts ids in code-unit order; missing ids are (none)', () => {
    expect(promptCounts(['receipt', 'generic', 'receipt', undefined, ''])).toEqual({ '(none)': 2, generic: 1, receipt: 2 });
    expect(Object.keys(promptCounts(['b', 'a', 'B']))).toEqual(['B', 'a', 'b']);
  });
});
