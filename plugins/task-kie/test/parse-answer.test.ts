import { describe, expect, it } from 'vitest';
import task, { extractJsonObject, fieldNames, parseKieAnswer } from '../src/index.js';

const RECEIPT = 'merchant, date, time, total';

describe('parseKieAnswer', () => {
  it('writes a plain JSON answer back compact, in the order of the fields', () => {
    expect(parseKieAnswer('{"total": "27.16", "date": "2021-12-06", "merchant": "HOME HARDWARE"}', RECEIPT)).toBe(
      '{"merchant":"HOME HARDWARE","date":"2021-12-06","total":"27.16"}',
    );
  });

  it('reads the object out of a code fence with prose around it', () => {
    const raw = 'Here is the data:\n```json\n{\n  "date": "06.12.2021",\n  "number": "INV-1"\n}\n```\nLet me know if you need more.';
    expect(parseKieAnswer(raw, 'number, date')).toBe('{"number":"INV-1","date":"06.12.2021"}');
    expect(parseKieAnswer('```\n{"a": "1"}\n```')).toBe('{"a":"1"}');
  });

  it('keeps keys that are not fields, after the fields, in the order they came', () => {
    expect(parseKieAnswer('{"note": "x", "date": "d", "extra": 1, "merchant": "m"}', 'merchant, date')).toBe(
      '{"merchant":"m","date":"d","note":"x","extra":1}',
    );
  });

  it('keeps the answer order without fields (integer-like keys first, as JSON.parse orders them)', () => {
    expect(parseKieAnswer('{"b": 1, "a": 2}')).toBe('{"b":1,"a":2}');
    expect(parseKieAnswer('{"b": 1, "2": 2}')).toBe('{"2":2,"b":1}');
    expect(parseKieAnswer('{"b": 1, "2": 2}', ['b', '2'])).toBe('{"b":1,"2":2}');
  });

  it('keeps values as parsed: numbers, nesting, null', () => {
    expect(parseKieAnswer('{"total": 12.50, "items": [{"name": "tea", "qty": 2}], "tip": null}')).toBe(
      '{"total":12.5,"items":[{"name":"tea","qty":2}],"tip":null}',
    );
  });

  it('ignores braces and escaped quotes inside strings', () => {
    expect(parseKieAnswer('Answer: {"merchant": "A}B{C", "total": "1"} done')).toBe('{"merchant":"A}B{C","total":"1"}');
    expect(parseKieAnswer('{"name": "say \\"hi}\\""} trailing')).toBe('{"name":"say \\"hi}\\""}');
  });

  it('skips prose braces that are not JSON before the answer', () => {
    expect(parseKieAnswer('Fields {merchant, date}: {"merchant": "M"}')).toBe('{"merchant":"M"}');
    expect(parseKieAnswer('{ oops {"a": "1"}')).toBe('{"a":"1"}');
  });

  it('takes the first of two objects', () => {
    expect(parseKieAnswer('{"a": "1"}\n{"a": "2"}')).toBe('{"a":"1"}');
  });

  it('gives the answer trimmed when the object is broken, never an object nested inside it', () => {
    expect(parseKieAnswer(' {"merchant": "M", "date": "D",} ')).toBe('{"merchant": "M", "date": "D",}');
    expect(parseKieAnswer('{"a": {"b": 1},}')).toBe('{"a": {"b": 1},}');
    expect(parseKieAnswer("{'merchant': 'M'}")).toBe("{'merchant': 'M'}");
    expect(parseKieAnswer('Result: {"merchant": "M"\n')).toBe('Result: {"merchant": "M"');
  });

  it('gives the answer trimmed for JSON that is not an object, without looking inside', () => {
    expect(parseKieAnswer('["M", "D"]')).toBe('["M", "D"]');
    expect(parseKieAnswer('[{"a": 1}]')).toBe('[{"a": 1}]');
    expect(parseKieAnswer('  42 ')).toBe('42');
  });

  it('gives the answer trimmed when it holds no JSON at all', () => {
    expect(parseKieAnswer('  I cannot read this document. \n')).toBe('I cannot read this document.');
    expect(parseKieAnswer('')).toBe('');
  });

  it('keeps an empty object, the last of repeated keys, and a __proto__ key as data', () => {
    expect(parseKieAnswer('{}', RECEIPT)).toBe('{}');
    expect(parseKieAnswer('{"a": "1", "a": "2"}')).toBe('{"a":"2"}');
    expect(parseKieAnswer('{"__proto__": "x", "a": "1"}', 'a, __proto__')).toBe('{"a":"1","__proto__":"x"}');
  });

  it('is the task parseAnswer, ordered by the item metadata.fields', () => {
    const item = { id: 'a', references: [], metadata: { fields: 'date, merchant' } };
    expect(task.parseAnswer?.('```json\n{"merchant": "M", "date": "D"}\n```', item, undefined)).toBe('{"date":"D","merchant":"M"}');
  });
});

describe('extractJsonObject', () => {
  it('returns the parsed object, or undefined', () => {
    expect(extractJsonObject('x {"a": [1, {"b": 2}]} y')).toEqual({ a: [1, { b: 2 }] });
    expect(extractJsonObject('no json')).toBeUndefined();
    expect(extractJsonObject('"{\\"a\\": 1}"')).toBeUndefined();
  });
});

describe('fieldNames', () => {
  it('splits a comma-separated string, trimming and dropping blanks and repeats', () => {
    expect(fieldNames('merchant, date ,, time,date')).toEqual(['merchant', 'date', 'time']);
  });

  it('takes the strings of a list', () => {
    expect(fieldNames(['a', 1, ' b ', 'a', ''])).toEqual(['a', 'b']);
  });

  it('gives [] for anything else', () => {
    expect(fieldNames(undefined)).toEqual([]);
    expect(fieldNames(5)).toEqual([]);
    expect(fieldNames({ a: 1 })).toEqual([]);
  });
});
