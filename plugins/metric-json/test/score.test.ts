import { describe, expect, it } from 'vitest';
import json, { fieldAnls, fieldEquals, flattenJson, parseJsonAnswer } from '../src/index.js';

const score = (prediction: string, references: string[], schema?: Record<string, unknown>) =>
  json.score(prediction, references, schema === undefined ? {} : { schema });

describe('json score', () => {
  it('scores field-level F1 and ANLS per reference field (worked example)', () => {
    const reference = JSON.stringify({ company: 'ACME Corp', date: '2024-01-05', total: 12.5 });
    const prediction = '```json\n{"company": "acme  corp", "date": "2024-01-06", "total": "12.50", "tax": 1}\n```';
    // company: equal after case folding and whitespace collapsing; date: wrong; total: "12.50" = 12.5;
    // tax: not expected. tp 2, fn 1 (date), fp 4 found − 2 right = 2 (date, tax): F1 = 2·2/(2·2 + 2 + 1) = 4/7.
    // ANLS: company "acme corp" = "acme corp", distance 0 → 1. date: 1 edit / 10 → 0.9.
    // total: "12.5" vs "12.50", 1 edit / max(4, 5) → 0.8.
    expect(score(prediction, [reference])).toEqual({
      score: 4 / 7,
      details: { parsed: 1, tp: 2, fp: 2, fn: 1 },
      parts: [
        { labels: { field_name: 'company' }, score: 1, details: { correct: 1 } },
        { labels: { field_name: 'date' }, score: 1 - 1 / 10, details: { correct: 0 } },
        { labels: { field_name: 'total' }, score: 1 - 1 / 5, details: { correct: 1 } },
      ],
    });
  });

  it('flattens nested objects and arrays by dot path and index; Cyrillic folds case', () => {
    const reference = JSON.stringify({
      items: [
        { name: 'Tea', qty: 2 },
        { name: 'Кофе', qty: 1 },
      ],
      total: { amount: 3 },
    });
    const prediction = '{"items": [{"name": "tea", "qty": 2}, {"name": "кофе"}], "total": {"amount": 3.0}}';
    // Fields: items.0.name ✓, items.0.qty ✓, items.1.name ✓, items.1.qty missing, total.amount ✓ (3.0 = 3).
    // tp 4, fp 0, fn 1: F1 = 8/9.
    const result = score(prediction, [reference]);
    expect(result.score).toBe(8 / 9);
    expect(result.details).toEqual({ parsed: 1, tp: 4, fp: 0, fn: 1 });
    expect(result.parts?.map((part) => [part.labels.field_name, part.score, part.details?.correct])).toEqual([
      ['items.0.name', 1, 1],
      ['items.0.qty', 1, 1],
      ['items.1.name', 1, 1],
      ['items.1.qty', 0, 0],
      ['total.amount', 1, 1],
    ]);
  });

  it('scores 0 for an answer that is not JSON, every expected field missed', () => {
    const reference = '{"a": "x", "b": "y"}';
    for (const prediction of ['The total is 5', '', '{"a": "x",}', "{'a': 'x'}", 'Here it is: ```json\n{"a": "x"}\n```', '{"a": NaN}']) {
      expect(score(prediction, [reference])).toEqual({
        score: 0,
        details: { parsed: 0, tp: 0, fp: 0, fn: 2 },
        parts: [
          { labels: { field_name: 'a' }, score: 0, details: { correct: 0 } },
          { labels: { field_name: 'b' }, score: 0, details: { correct: 0 } },
        ],
      });
    }
  });

  it('accepts a fence that is the whole answer, with or without the json tag', () => {
    expect(parseJsonAnswer('  ```JSON\n{"a": 1}\n```\n')).toEqual({ value: { a: 1 } });
    expect(parseJsonAnswer('```\n[1, 2]\n```')).toEqual({ value: [1, 2] });
    expect(parseJsonAnswer('```json{"a": 1}```')).toEqual({ value: { a: 1 } });
    expect(parseJsonAnswer('```jsonc\n{"a": 1}\n```')).toBeUndefined();
    expect(parseJsonAnswer(' \n{"a": 1}\t')).toEqual({ value: { a: 1 } });
    // A no-break space is not JSON whitespace: outside a fence the text is parsed as it is.
    expect(parseJsonAnswer('\u00a0{"a": 1}')).toBeUndefined();
  });

  it('compares strings trimmed, whitespace-collapsed and case-folded, and nothing more', () => {
    expect(fieldEquals('New York', '  new\u00a0\u00a0YORK ')).toBe(true); // Python's split() splits on U+00A0
    expect(fieldEquals('Straße', 'STRASSE')).toBe(true); // casefold: ß → ss
    expect(fieldEquals('東京都', '東京都')).toBe(true);
    expect(fieldEquals('東京都', '東京')).toBe(false);
    expect(fieldEquals('👍', '👍🏽')).toBe(false);
    // No Unicode normalisation: precomposed é is not e + U+0301.
    expect(fieldEquals('Caf\u00e9', 'Cafe\u0301')).toBe(false);
    expect(fieldEquals('a-b', 'a b')).toBe(false);
  });

  it('compares numbers numerically, and other values only when identical', () => {
    expect(fieldEquals(100, 1e2)).toBe(true);
    expect(fieldEquals(12.5, ' 12.50 ')).toBe(true);
    expect(fieldEquals('-0.5', -0.5)).toBe(true);
    expect(fieldEquals(1000, '1,000')).toBe(false);
    expect(fieldEquals(1000, '1000 USD')).toBe(false);
    expect(fieldEquals(255, '0xff')).toBe(false);
    expect(fieldEquals('12.50', '12.5')).toBe(false); // two strings compare as text
    expect(fieldEquals(true, 'true')).toBe(false);
    expect(fieldEquals(null, null)).toBe(true);
    expect(fieldEquals([], [])).toBe(true);
    expect(fieldEquals({}, [])).toBe(false);
  });

  it('computes ANLS per field as lmms-eval does', () => {
    // Both empty: 1. One empty: distance = length → 0.
    expect(fieldAnls('', '')).toBe(1);
    expect(fieldAnls('abc', '')).toBe(0);
    // Distance on normalised text, length on the raw upper-cased strings: "  ab  " vs "ac" → 1 − 1/6.
    expect(fieldAnls('ac', '  ab  ')).toBe(1 - 1 / 6);
    // "Straße".upper() is "STRASSE" (7): "straße" vs "strasse" is 2 edits → 1 − 2/7.
    expect(fieldAnls('Straße', 'strasse')).toBe(1 - 2 / 7);
    // Exactly 0.5 is kept: 👍 vs 👍🏽 is 1 edit over 2 code points.
    expect(fieldAnls('👍🏽', '👍')).toBe(0.5);
    // Below 0.5 is 0: "abc" vs "axy" is 2 edits over 3.
    expect(fieldAnls('abc', 'axy')).toBe(0);
    // Combining mark: "café" (NFC, 4) vs "cafe" + U+0301 (5): é→e and one insertion → 1 − 2/5.
    expect(fieldAnls('Caf\u00e9', 'Cafe\u0301')).toBe(1 - 2 / 5);
    expect(fieldAnls('Москва', 'масква')).toBe(1 - 1 / 6);
  });

  it('treats empty values and empty containers as fields of their own', () => {
    expect([...flattenJson({ a: '', b: [], c: {}, d: null, e: [[1]] })]).toEqual([
      ['a', ''],
      ['b', []],
      ['c', {}],
      ['d', null],
      ['e.0.0', 1],
    ]);
    expect([...flattenJson({})]).toEqual([]);
    expect([...flattenJson('x')]).toEqual([['', 'x']]);
    // An empty expected string, answered empty: correct, ANLS 1 (both empty).
    expect(score('{"note": ""}', ['{"note": ""}']).parts).toEqual([{ labels: { field_name: 'note' }, score: 1, details: { correct: 1 } }]);
  });

  it('scores an empty reference object: 1 for an empty answer, 0 once anything is added', () => {
    expect(score('{}', ['{}'])).toEqual({ score: 1, details: { parsed: 1, tp: 0, fp: 0, fn: 0 }, parts: [] });
    expect(score('{"a": 1}', ['{}'])).toEqual({ score: 0, details: { parsed: 1, tp: 0, fp: 1, fn: 0 }, parts: [] });
    // A bare value parses but has no field of an object: one false positive.
    expect(score('"x"', ['{"a": "x"}']).details).toEqual({ parsed: 1, tp: 0, fp: 1, fn: 1 });
  });

  it('scores against the first reference only', () => {
    expect(score('{"a": 1}', ['{"a": 1}', '{"a": 2}']).score).toBe(1);
    expect(score('{"a": 2}', ['{"a": 1}', '{"a": 2}']).score).toBe(0);
  });

  it('refuses a reference that is not a JSON object, and an item with no reference', () => {
    for (const reference of ['', 'total: 5', '[{"a": 1}]', '"x"', 'null']) {
      expect(() => score('{}', [reference])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_REFERENCE' }));
    }
    expect(() => score('{}', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });

  it('adds valid: 1 | 0 when a schema is given', () => {
    const schema = { type: 'object', required: ['total'], properties: { total: { type: 'number' } } };
    expect(score('{"total": 5}', ['{"total": 5}'], schema).details).toEqual({ parsed: 1, valid: 1, tp: 1, fp: 0, fn: 0 });
    // "5" equals 5 as a field, but the schema wants a number.
    expect(score('{"total": "5"}', ['{"total": 5}'], schema).details).toEqual({ parsed: 1, valid: 0, tp: 1, fp: 0, fn: 0 });
    expect(score('{}', ['{"total": 5}'], schema).details).toEqual({ parsed: 1, valid: 0, tp: 0, fp: 0, fn: 1 });
    expect(score('total: 5', ['{"total": 5}'], schema).details).toEqual({ parsed: 0, valid: 0, tp: 0, fp: 0, fn: 1 });
  });
});
