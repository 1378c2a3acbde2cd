import { type PredictionRecord, scoreItems, summariseMetrics } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import json from '../src/index.js';

type Details = {
  structuralFidelity: number;
  schemaValid: number | null;
  precision: number;
  recall: number;
  f1: number;
  fieldAnls: number | null;
};
const aggregate = (pairs: [string, string][], schema?: Record<string, unknown>) => {
  const options = schema === undefined ? {} : { schema };
  const scores = pairs.map(([prediction, reference]) => json.score(prediction, [reference], options));
  return json.aggregate?.(scores, options) as unknown as { score: number; details: Details };
};

describe('json aggregate', () => {
  const first: [string, string] = [
    '{"company": "acme  corp", "date": "2024-01-06", "total": "12.50", "tax": 1}',
    '{"company": "ACME Corp", "date": "2024-01-05", "total": 12.5}',
  ];
  const second: [string, string] = ['{"name": "Tea", "qty": 3}', '{"name": "tea", "qty": 2}'];
  const unparsed: [string, string] = ['no JSON here', '{"a": "x", "b": "y"}'];

  it('is the micro F1 over every field of every item, with structural fidelity and mean field ANLS', () => {
    // Item 1 (see score.test.ts): tp 2, fp 2, fn 1; field ANLS 1, 0.9, 0.8.
    // Item 2: name right (ANLS 1), qty 3 ≠ 2 (ANLS "2" vs "3": 1 edit / 1 → 0): tp 1, fp 1, fn 1.
    // Item 3: not JSON: tp 0, fp 0, fn 2, ANLS 0 and 0.
    // Σ tp 3, fp 3, fn 4 → precision 3/6, recall 3/7, F1 6/(6 + 3 + 4) = 6/13.
    // Structural fidelity 2/3; field ANLS (1 + 0.9 + 0.8 + 1 + 0 + 0 + 0)/7 = 3.7/7.
    const { score, details } = aggregate([first, second, unparsed]);
    expect(score).toBe(6 / 13);
    expect(details.f1).toBe(6 / 13);
    expect(details.precision).toBe(3 / 6);
    expect(details.recall).toBe(3 / 7);
    expect(details.structuralFidelity).toBe(2 / 3);
    expect(details.schemaValid).toBeNull();
    expect(details.fieldAnls).toBeCloseTo(3.7 / 7, 15);
  });

  it('reports the share of schema-valid answers when a schema is given', () => {
    // Item 1 has a string total, item 2 fits, item 3 does not parse: 1 of 3 valid.
    const schema = { type: 'object', properties: { total: { type: 'number' } } };
    expect(aggregate([first, second, unparsed], schema).details.schemaValid).toBe(1 / 3);
  });

  it('gives precision, recall and F1 1 when nothing was expected and nothing found, 0 for a zero denominator otherwise', () => {
    expect(aggregate([['{}', '{}']]).details).toMatchObject({ precision: 1, recall: 1, f1: 1, fieldAnls: null });
    // Nothing found, two expected: precision 0/0 → 0, recall 0.
    expect(aggregate([['{}', '{"a": 1, "b": 2}']]).details).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('refuses item scores without their counts', () => {
    expect(() => json.aggregate?.([{ score: 1, details: { parsed: 1 } }], {})).toThrow(
      expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }),
    );
  });

  it('runs in the host; a bad reference fails only its item', () => {
    const record = (id: string, prediction: string, reference: string): PredictionRecord => ({
      id,
      prediction,
      raw: prediction,
      references: [reference],
      metadata: {},
      prompt: 'p',
      timing: null,
      error: null,
    });
    const uses = [{ plugin: json, options: {}, id: 'json@1' }];
    const table = scoreItems([record('a', '{"x": 1}', '{"x": 1}'), record('b', '{"x": 1}', 'not json')], uses);
    expect(table.get('b')?.get('json@1')).toMatchObject({ error: { code: 'VHB_E_METRIC_REFERENCE' } });
    const [summary] = summariseMetrics(table, uses);
    expect(summary).toMatchObject({ id: 'json@1', score: 1, n: 1 });
  });
});
