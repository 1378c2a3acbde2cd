import { describe, expect, it } from 'vitest';
import { applyOverlay, closestWithin, isVersionRange, referencesOf } from '../src/index.js';

describe('applyOverlay', () => {
  it('merges objects recursively, replaces arrays and scalars, and deletes keys set to null', () => {
    const base = { a: 1, keep: 'k', list: [1, 2, 3], nested: { x: 1, y: { deep: true, gone: 1 } }, drop: { z: 1 } };
    const overlay = { a: 2, list: [9], nested: { y: { gone: null }, added: 'n' }, drop: null };
    expect(applyOverlay(base, overlay)).toEqual({ a: 2, keep: 'k', list: [9], nested: { x: 1, y: { deep: true }, added: 'n' } });
    // Inputs are left alone.
    expect(base.nested.y.gone).toBe(1);
  });

  it('replaces a scalar with an object and drops nulls inside new objects', () => {
    expect(applyOverlay({ a: 'text' }, { a: { b: 1, c: null } })).toEqual({ a: { b: 1 } });
  });

  it('replaces a mapping whose type the overlay changes instead of merging it', () => {
    const base = { kind: 'metric', source: { type: 'npm', package: '@vhb/metric-cer', version: '^0.1.0' } };
    expect(applyOverlay(base, { source: { type: 'local', path: 'plugins/metric-cer' } })).toEqual({
      kind: 'metric',
      source: { type: 'local', path: 'plugins/metric-cer' },
    });
    // Same type: an ordinary merge.
    expect(applyOverlay(base, { source: { type: 'npm', version: 'next' } })).toEqual({
      kind: 'metric',
      source: { type: 'npm', package: '@vhb/metric-cer', version: 'next' },
    });
  });

  it('defines a dev-only entry from the overlay alone', () => {
    expect(applyOverlay({}, { adapter: 'x', note: null })).toEqual({ adapter: 'x' });
  });
});

describe('isVersionRange', () => {
  it.each([
    'latest',
    'next',
    '1.2.3',
    '^1.2.0',
    '~0.1',
    '>=1.0.0 <2',
    '>= 1.2',
    '1.x',
    '1.2.*',
    '*',
    '',
    '1.0.0 - 2.0.0',
    '^1 || ^2',
    '1.0.0-beta.1',
  ])('accepts %j', (value) => expect(isVersionRange(value)).toBe(true));
  // A bare word is a dist-tag ("v" would be one); these are neither a tag nor a range.
  it.each(['^^1', '1..2', '>=', '1.2.3 <', '1.2.3.4', '^1 ||| 2', 'latest!'])('rejects %j', (value) =>
    expect(isVersionRange(value)).toBe(false),
  );
});

describe('closestWithin', () => {
  it('suggests a name one edit away', () => {
    // "synthdoc-4O" → "synthdoc-40": one substitution; 11 characters allow up to 3.
    expect(closestWithin('synthdoc-4O', ['synthdoc-40', 'funsd'])).toBe('synthdoc-40');
  });

  it('stays silent when the nearest name is too far', () => {
    // "cer" → "bleu": 4 edits (c→b, e→l, r→e, +u); 4 characters allow 1.
    expect(closestWithin('cer', ['bleu'])).toBeUndefined();
    expect(closestWithin('cer', [])).toBeUndefined();
  });
});

describe('referencesOf', () => {
  it('lists the names a run uses, with the field each sits in', () => {
    const refs = referencesOf('runs', { name: 'r', task: 't', model: 'm', dataset: 'd', metrics: ['a', { name: 'b' }], reports: ['md'] });
    expect(refs).toEqual([
      { field: ['task'], kind: 'tasks', name: 't' },
      { field: ['model'], kind: 'models', name: 'm' },
      { field: ['dataset'], kind: 'datasets', name: 'd' },
      { field: ['metrics', 0], kind: 'metrics', name: 'a' },
      { field: ['metrics', 1, 'name'], kind: 'metrics', name: 'b' },
      { field: ['reports', 0], kind: 'reports', name: 'md' },
    ]);
  });

  it('asks a model adapter to be an adapter package', () => {
    expect(referencesOf('models', { name: 'm', adapter: 'a' })).toEqual([
      { field: ['adapter'], kind: 'packages', name: 'a', packageKind: 'adapter' },
    ]);
  });
});

describe('parseMetricRef', () => {
  it('reads a name, a pinned name@version and the object form with a dialect', async () => {
    const { parseMetricRef } = await import('../src/index.js');
    expect(parseMetricRef('anls')).toEqual({ name: 'anls' });
    expect(parseMetricRef('anls@2')).toEqual({ name: 'anls', version: 2 });
    expect(parseMetricRef('exact-match@10')).toEqual({ name: 'exact-match', version: 10 });
    expect(parseMetricRef({ name: 'anls', version: 1, dialect: 'vlmevalkit', options: { threshold: 0.4 } })).toEqual({
      name: 'anls',
      version: 1,
      options: { threshold: 0.4, dialect: 'vlmevalkit' },
    });
  });
});
