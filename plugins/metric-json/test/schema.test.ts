import { describe, expect, it } from 'vitest';
import { validateJson } from '../src/index.js';

describe('validateJson', () => {
  const receipt = {
    type: 'object',
    required: ['total', 'items'],
    properties: {
      total: { type: 'number' },
      currency: { enum: ['EUR', 'USD'] },
      items: {
        type: 'array',
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, qty: { type: 'integer' } } },
      },
    },
  };

  it('accepts a value that fits (undeclared properties are allowed by default)', () => {
    expect(validateJson({ total: 3.5, currency: 'EUR', items: [{ name: 'tea', qty: 2 }], extra: true }, receipt)).toEqual([]);
    expect(validateJson({ total: 0, items: [] }, receipt)).toEqual([]);
  });

  it('names every problem by its dot path', () => {
    expect(validateJson({ total: '3.5', currency: 'GBP', items: [{ qty: 1.5 }] }, receipt)).toEqual([
      'total: expected number, got "3.5"',
      'currency: "GBP" is not one of ["EUR","USD"]',
      'items.0: missing required property "name"',
      'items.0.qty: expected integer, got 1.5',
    ]);
    expect(validateJson([], receipt)).toEqual(['(root): expected object, got []']);
    expect(validateJson({ total: 1 }, receipt)).toEqual(['(root): missing required property "items"']);
  });

  it('reads type lists, const, additionalProperties, tuple items and boolean schemas', () => {
    expect(validateJson(null, { type: ['string', 'null'] })).toEqual([]);
    expect(validateJson(2, { type: 'integer' })).toEqual([]);
    expect(validateJson(2, { const: 2 })).toEqual([]);
    expect(validateJson({ b: 1, a: [1] }, { const: { a: [1], b: 1 } })).toEqual([]); // key order does not matter
    expect(validateJson(3, { const: 2 })).toEqual(['(root): expected 2']);
    expect(validateJson({ a: 1, b: 'x' }, { properties: { a: {} }, additionalProperties: false })).toEqual([
      'b: not allowed (schema false)',
    ]);
    expect(validateJson({ a: 1, b: 'x' }, { properties: { a: {} }, additionalProperties: { type: 'number' } })).toEqual([
      'b: expected number, got "x"',
    ]);
    expect(validateJson(['a', 1, true], { items: [{ type: 'string' }, { type: 'string' }] })).toEqual(['1: expected string, got 1']);
    expect(validateJson('anything', true)).toEqual([]);
    expect(validateJson('anything', false)).toEqual(['(root): not allowed (schema false)']);
  });

  it('ignores keywords outside its subset', () => {
    expect(validateJson('abc', { type: 'string', pattern: '^x', minLength: 5, format: 'date' })).toEqual([]);
  });
});
