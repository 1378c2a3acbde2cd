import { describe, expect, it } from 'vitest';
import {
  corpusErrorRate,
  defineMetric,
  type ItemScore,
  type MetricPlugin,
  type MetricUse,
  type PredictionRecord,
  scoreItems,
  summariseGroups,
  summariseMetrics,
} from '../src/index.js';

const record = (id: string, prediction: string | null, metadata: Record<string, unknown> = {}, references = ['x']): PredictionRecord => ({
  id,
  prediction,
  raw: prediction,
  references,
  metadata,
  prompt: 'p1',
  timing: null,
  error: prediction === null ? { code: 'E', message: 'failed' } : null,
});

const use = (plugin: MetricPlugin<any>): MetricUse => ({ plugin, options: {}, id: `${plugin.name}@${plugin.algorithmVersion}` });

/** Scores the prediction as a number; throws on "boom", as a metric that cannot score an item. */
const value = defineMetric({
  name: 'value',
  version: '1.0.0',
  description: 'the prediction as a number',
  algorithmVersion: 1,
  direction: 'higher',
  score: (prediction) => {
    if (prediction === 'boom') throw Object.assign(new Error('cannot score'), { code: 'E_BOOM' });
    return { score: Number(prediction) };
  },
});

/** An error rate from a prediction "errors/length", aggregated at corpus level like CER. */
const rate = defineMetric({
  name: 'rate',
  version: '1.0.0',
  description: 'errors / length, corpus-level',
  algorithmVersion: 1,
  direction: 'lower',
  score: (prediction) => {
    const [errors, length] = prediction.split('/').map(Number) as [number, number];
    return { score: errors / length, details: { substitutions: errors, deletions: 0, insertions: 0, refLength: length } };
  },
  aggregate: (scores) => corpusErrorRate('rate', scores),
});

/** "total=1,date=0": one part per field, labelled field_name, scored 0 or 1; the item scores their mean. */
const fields = defineMetric({
  name: 'fields',
  version: '1.0.0',
  description: 'per-field scores',
  algorithmVersion: 1,
  direction: 'higher',
  score: (prediction): ItemScore => {
    const parts = prediction.split(',').map((pair) => {
      const [name, score] = pair.split('=') as [string, string];
      return { labels: { field_name: name }, score: Number(score) };
    });
    return { score: parts.reduce((sum, p) => sum + p.score, 0) / parts.length, parts };
  },
});

const one = defineMetric({
  name: 'one',
  version: '1.0.0',
  description: 'always 1',
  algorithmVersion: 1,
  direction: 'higher',
  score: () => ({ score: 1 }),
});

describe('summariseMetrics', () => {
  it('gives each metric its figure, n and a bootstrap CI', () => {
    const records = [record('a', '1'), record('b', '0'), record('c', 'boom')];
    const metrics = [use(value)];
    // Scored: a = 1, b = 0 (c could not be scored): mean ½; two items 0 and 1 resample to 0, ½, 1 with
    // p = ¼, ½, ¼, so the 2.5th and 97.5th percentiles are 0 and 1.
    expect(summariseMetrics(scoreItems(records, metrics), metrics)).toEqual([
      { id: 'value@1', name: 'value', version: 1, direction: 'higher', score: 0.5, n: 2, ci: [0, 1] },
    ]);
  });

  it('has no CI below two items and no score for none', () => {
    const metrics = [use(value)];
    expect(summariseMetrics(scoreItems([record('a', '0.25')], metrics), metrics)[0]).toMatchObject({ score: 0.25, n: 1, ci: null });
    expect(summariseMetrics(scoreItems([], metrics), metrics)[0]).toMatchObject({ score: null, n: 0, ci: null });
  });

  it('resamples items and recomputes the corpus rate, not the mean of item rates', () => {
    // 90 short items, 1 error in 1 character, and 10 long ones, 0 errors in 100:
    // corpus rate 90 / (90 + 1000) = 0.0826; the mean of the item rates would be 0.9.
    // A resample with l long items has rate (100 − l) / (100 − l + 100 l), l ~ Binomial(100, 0.1):
    // the 97.5th percentile of the rate comes from l = 4 or 5 (P(l ≤ 4) = 0.024, P(l ≤ 5) = 0.058) → 0.19 or 0.16;
    // the 2.5th from l = 16 or 17 (P(l ≥ 16) = 0.040, P(l ≥ 17) = 0.021) → 0.050 or 0.047.
    const records = Array.from({ length: 100 }, (_, i) => record(`r${i}`, i % 10 === 0 ? '0/100' : '1/1'));
    const metrics = [use(rate)];
    const [summary] = summariseMetrics(scoreItems(records, metrics), metrics);
    expect(summary?.score).toBeCloseTo(90 / 1090, 12);
    const [low, high] = summary?.ci ?? [Number.NaN, Number.NaN];
    expect(low).toBeGreaterThanOrEqual(0.045);
    expect(low).toBeLessThanOrEqual(0.051);
    expect(high).toBeGreaterThanOrEqual(0.155);
    expect(high).toBeLessThanOrEqual(0.2);
  });

  it('calls the metric’s own aggregate on each resample of whole items', () => {
    // A = 1 error in 1, B = C = 0 errors in 9. A resample with k copies of A has corpus rate
    // k / (k + 9 (3 − k)): 0, 1/19, 2/11 or 1 (the mean of rates would give 1/3 and 2/3 instead).
    const seen: number[] = [];
    const spy = defineMetric({
      ...rate,
      aggregate: (scores) => {
        const result = corpusErrorRate('rate', scores);
        seen.push(result);
        return result;
      },
    });
    const metrics = [use(spy)];
    summariseMetrics(scoreItems([record('a', '1/1'), record('b', '0/9'), record('c', '0/9')], metrics), metrics);
    expect(seen).toHaveLength(1 + 1000);
    expect(seen[0]).toBeCloseTo(1 / 19, 12);
    expect([...new Set(seen)].sort((x, y) => x - y)).toEqual([0, 1 / 19, 2 / 11, 1]);
  });

  it('keeps the aggregate’s details', () => {
    const withDetails = defineMetric({
      ...value,
      name: 'detailed',
      aggregate: (scores) => ({ score: scores.length, details: { k: 'v' } }),
    });
    const metrics = [use(withDetails)];
    expect(summariseMetrics(scoreItems([record('a', '1'), record('b', '1')], metrics), metrics)[0]).toEqual({
      id: 'detailed@1',
      name: 'detailed',
      version: 1,
      direction: 'higher',
      score: 2,
      n: 2,
      ci: [2, 2],
      details: { k: 'v' },
    });
  });

  it('is reproducible, and a metric’s interval does not move when another metric joins', () => {
    const records = Array.from({ length: 40 }, (_, i) => record(`r${i}`, String((i * 7) % 5)));
    const alone = summariseMetrics(scoreItems(records, [use(value)]), [use(value)]);
    expect(summariseMetrics(scoreItems(records, [use(value)]), [use(value)])).toEqual(alone);
    const both = [use(one), use(value)];
    expect(summariseMetrics(scoreItems(records, both), both)[1]).toEqual(alone[0]);
    // Another base seed draws other resamples.
    expect(summariseMetrics(scoreItems(records, [use(value)]), [use(value)], { seed: 1 })[0]?.ci).not.toEqual(alone[0]?.ci);
  });
});

describe('summariseGroups', () => {
  // value: a = 1, b = 0, c = 1, d = 1; e cannot be scored; f failed to answer (not in the table).
  const records = [
    record('a', '1', { doc_type: 'form', language: 'en' }),
    record('b', '0', { doc_type: 'form', language: 'ru' }),
    record('c', '1', { doc_type: 'letter', language: 'en' }),
    record('d', '1', { doc_type: 'letter' }),
    record('e', 'boom', { doc_type: 'invoice', language: 'en' }),
    record('f', null, { doc_type: 'invoice', language: 'en' }),
  ];
  const metrics = [use(value)];
  const table = scoreItems(records, metrics);

  it('groups by one field, with counts and a CI per group', () => {
    // form: 1, 0 → ½, CI [0, 1] (see summariseMetrics); letter: 1, 1 → [1, 1]; invoice: e counts as
    // an item of the group but has no score. Rows sorted by key.
    expect(summariseGroups(records, table, metrics, [['doc_type']])).toEqual([
      {
        by: ['doc_type'],
        rows: [
          { key: { doc_type: 'form' }, n: 2, prompts: { p1: 2 }, scores: { 'value@1': { score: 0.5, ci: [0, 1], n: 2 } } },
          { key: { doc_type: 'invoice' }, n: 1, prompts: { p1: 1 }, scores: { 'value@1': { score: null, ci: null, n: 0 } } },
          { key: { doc_type: 'letter' }, n: 2, prompts: { p1: 2 }, scores: { 'value@1': { score: 1, ci: [1, 1], n: 2 } } },
        ],
      },
    ]);
  });

  it('counts the prompt ids of the items in each group (as n, an item that got no answer is in none)', () => {
    const mixed = [
      { ...record('r1', '1', { doc_type: 'receipt' }), prompt: 'receipt-ru' },
      { ...record('r2', '0', { doc_type: 'receipt' }), prompt: 'receipt' },
      { ...record('r3', null, { doc_type: 'receipt' }), prompt: 'receipt-ru' },
      { ...record('l1', '1', { doc_type: 'letter' }), prompt: 'generic' },
    ];
    const t = scoreItems(mixed, metrics);
    const [grouping] = summariseGroups(mixed, t, metrics, [['doc_type']]);
    expect(grouping?.rows.map((r) => [r.key.doc_type, r.n, r.prompts])).toEqual([
      ['letter', 1, { generic: 1 }],
      ['receipt', 2, { receipt: 1, 'receipt-ru': 1 }],
    ]);
    // Grouping by the prompt itself gives one prompt per row.
    const [byPrompt] = summariseGroups(mixed, t, metrics, [['prompt']]);
    expect(byPrompt?.rows.map((r) => [r.key.prompt, r.prompts])).toEqual([
      ['generic', { generic: 1 }],
      // Rows sort by their key's JSON, locale-wise: "receipt-ru" before "receipt".
      ['receipt-ru', { 'receipt-ru': 1 }],
      ['receipt', { receipt: 1 }],
    ]);
  });

  it('groups by several fields; a missing field is (none); single items get no CI', () => {
    const [grouping] = summariseGroups(records, table, metrics, [['doc_type', 'language']]);
    expect(grouping?.rows.map((r) => [r.key, r.n, r.scores['value@1']])).toEqual([
      [{ doc_type: 'form', language: 'en' }, 1, { score: 1, ci: null, n: 1 }],
      [{ doc_type: 'form', language: 'ru' }, 1, { score: 0, ci: null, n: 1 }],
      [{ doc_type: 'invoice', language: 'en' }, 1, { score: null, ci: null, n: 0 }],
      [{ doc_type: 'letter', language: '(none)' }, 1, { score: 1, ci: null, n: 1 }],
      [{ doc_type: 'letter', language: 'en' }, 1, { score: 1, ci: null, n: 1 }],
    ]);
  });

  it('groups by record fields too, and by Unicode values', () => {
    const unicode = [
      record('a', '1', { language: 'русский' }),
      record('b', '0', { language: '日本語' }),
      record('c', '1', { language: 'e\u0301' }),
      record('d', '1', { language: 'русский' }),
    ];
    const t = scoreItems(unicode, metrics);
    const [byPrompt, byLanguage] = summariseGroups(unicode, t, metrics, [['prompt'], ['language']]);
    // Every record used prompt p1: one group of all four, mean ¾.
    expect(byPrompt?.rows.map((r) => [r.key, r.n, r.scores['value@1']?.score])).toEqual([[{ prompt: 'p1' }, 4, 0.75]]);
    expect(byLanguage?.rows.map((r) => [r.key.language, r.n, r.scores['value@1']?.score])).toEqual(
      [
        ['e\u0301', 1, 1],
        ['русский', 2, 1],
        ['日本語', 1, 0],
      ].sort((x, y) => JSON.stringify({ language: x[0] }).localeCompare(JSON.stringify({ language: y[0] }))),
    );
  });

  it('returns one summary per grouping, none for no grouping', () => {
    expect(summariseGroups(records, table, metrics, [])).toEqual([]);
    expect(summariseGroups(records, table, metrics, [['doc_type'], ['language']]).map((g) => g.by)).toEqual([['doc_type'], ['language']]);
  });
});

describe('reproducibility', () => {
  it('gives the same intervals whatever order the items were answered in', () => {
    const records = Array.from({ length: 30 }, (_, i) => record(`r${i}`, String((i * 7) % 5), { doc_type: i % 2 ? 'odd' : 'even' }));
    const shuffled = [...records].sort((a, b) => ((Number(a.id.slice(1)) * 13) % 30) - ((Number(b.id.slice(1)) * 13) % 30));
    expect(shuffled.map((r) => r.id)).not.toEqual(records.map((r) => r.id));
    const metrics = [use(value)];
    const table = scoreItems(records, metrics);
    const tableShuffled = scoreItems(shuffled, metrics);
    expect(summariseMetrics(tableShuffled, metrics)).toEqual(summariseMetrics(table, metrics));
    expect(summariseGroups(shuffled, tableShuffled, metrics, [['doc_type']])).toEqual(
      summariseGroups(records, table, metrics, [['doc_type']]),
    );
  });
});

describe('summariseGroups by a part label', () => {
  // p: date = 1; q: total = 0, date = 0; r: total = 1 twice (two parts of one item in one group).
  const records = [
    record('p', 'date=1', { doc_type: 'receipt' }),
    record('q', 'total=0,date=0', { doc_type: 'receipt' }),
    record('r', 'total=1,total=1', { doc_type: 'invoice' }),
  ];
  const metrics = [use(fields), use(one)];
  const table = scoreItems(records, metrics);

  it('groups the parts; metrics without parts fall in (none)', () => {
    // date: p 1, q 0 → ½, CI [0, 1]. total: q 0 and r 1, 1 → 2/3 over 3 parts; resampling the two
    // items gives qq 0 (p = ¼), rr 1 (¼), qr 2/3 (½): CI [0, 1]. "one" has no parts: every item in (none).
    expect(summariseGroups(records, table, metrics, [['field_name']])[0]?.rows).toEqual([
      {
        key: { field_name: '(none)' },
        n: 3,
        prompts: { p1: 3 },
        scores: { 'fields@1': { score: null, ci: null, n: 0 }, 'one@1': { score: 1, ci: [1, 1], n: 3 } },
      },
      {
        key: { field_name: 'date' },
        n: 2,
        prompts: { p1: 2 },
        scores: { 'fields@1': { score: 0.5, ci: [0, 1], n: 2 }, 'one@1': { score: null, ci: null, n: 0 } },
      },
      {
        key: { field_name: 'total' },
        n: 2,
        prompts: { p1: 2 },
        scores: { 'fields@1': { score: 2 / 3, ci: [0, 1], n: 3 }, 'one@1': { score: null, ci: null, n: 0 } },
      },
    ]);
  });

  it('mixes item fields and part labels: doc_type × field_name', () => {
    const rows = summariseGroups(records, table, metrics, [['doc_type', 'field_name']])[0]?.rows ?? [];
    expect(rows.map((r) => [r.key, r.n, r.scores['fields@1'], r.scores['one@1']?.n])).toEqual([
      [{ doc_type: 'invoice', field_name: '(none)' }, 1, { score: null, ci: null, n: 0 }, 1],
      // r's two parts are one item: one cluster, so no CI.
      [{ doc_type: 'invoice', field_name: 'total' }, 1, { score: 1, ci: null, n: 2 }, 0],
      [{ doc_type: 'receipt', field_name: '(none)' }, 2, { score: null, ci: null, n: 0 }, 2],
      [{ doc_type: 'receipt', field_name: 'date' }, 2, { score: 0.5, ci: [0, 1], n: 2 }, 0],
      [{ doc_type: 'receipt', field_name: 'total' }, 1, { score: 0, ci: null, n: 1 }, 0],
    ]);
  });

  it('groups whole items when no field of the grouping is a part label', () => {
    // Item scores: p 1, q 0, r 1.
    const rows = summariseGroups(records, table, metrics, [['doc_type']])[0]?.rows ?? [];
    expect(rows.map((r) => [r.key.doc_type, r.n, r.scores['fields@1']])).toEqual([
      ['invoice', 1, { score: 1, ci: null, n: 1 }],
      ['receipt', 2, { score: 0.5, ci: [0, 1], n: 2 }],
    ]);
  });

  it('resamples items, keeping each item’s parts together', () => {
    // Item A has 10 parts scoring 1; items B..K have one part scoring 0 each: 20 parts, mean ½.
    // Resampling the 11 items, k copies of A give 10k / (10k + 11 − k) with k ~ Binomial(11, 1/11):
    // P(k = 0) = (10/11)^11 = 0.35, so the 2.5th percentile is 0; P(k ≥ 3) = 0.071 and P(k ≥ 4) = 0.013
    // put the 97.5th on k = 3, 30/38 = 0.789 (or next to it). Resampling the 20 parts one by one would
    // give about ½ ± 1.96 √(¼ / 20) = [0.28, 0.72] instead.
    const many = [
      record('A', Array.from({ length: 10 }, (_, i) => `f${i}=1`).join(','), { doc_type: 'x' }),
      ...'BCDEFGHIJK'.split('').map((id) => record(id, 'f0=0', { doc_type: 'x' })),
    ];
    // Every part under one label, so that all 20 fall in one group.
    const shared = defineMetric({
      ...fields,
      name: 'shared',
      score: (prediction) => {
        const parts = prediction.split(',').map((pair) => ({ labels: { kind: 'field' }, score: Number(pair.split('=')[1]) }));
        return { score: parts.reduce((sum, p) => sum + p.score, 0) / parts.length, parts };
      },
    });
    const sharedUse = [use(shared)];
    const [byKind] = summariseGroups(many, scoreItems(many, sharedUse), sharedUse, [['kind']]);
    const cell = byKind?.rows[0]?.scores['shared@1'];
    expect(cell?.score).toBe(0.5);
    expect(cell?.n).toBe(20);
    const [low, high] = cell?.ci ?? [Number.NaN, Number.NaN];
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(0.69);
    expect(high).toBeLessThan(0.86);
  });

  it('scores a group of parts by their mean, never through an aggregate that reads whole items', () => {
    // Like a JSON metric: the aggregate needs each item's tp/fp/fn, which parts do not carry.
    const strict = defineMetric({
      ...fields,
      name: 'strict',
      score: (prediction) => ({ ...fields.score(prediction, [], {}), details: { tp: 1 } }),
      aggregate: (scores) => {
        for (const s of scores) if (s.details?.tp === undefined) throw new Error('needs whole items');
        return scores.length;
      },
    });
    const only = [use(strict)];
    const t = scoreItems(records, only);
    // total: q 0, r 1, 1 → mean 2/3 (not the aggregate's item count).
    expect(
      summariseGroups(records, t, only, [['field_name']])[0]?.rows.find((r) => r.key.field_name === 'total')?.scores['strict@1'],
    ).toEqual({
      score: 2 / 3,
      ci: [0, 1],
      n: 3,
    });
    // Whole items still go through the aggregate: 2 receipts.
    expect(
      summariseGroups(records, t, only, [['doc_type']])[0]?.rows.find((r) => r.key.doc_type === 'receipt')?.scores['strict@1']?.score,
    ).toBe(2);
  });
});
