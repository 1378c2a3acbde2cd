import { type MetricPlugin, type MetricUse, metricId, type PredictionRecord, scoreItems, summariseMetrics } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import anls, { type AnlsOptions, normalisedDistance } from '../src/index.js';

const v2 = anls;
const v1 = anls.previousVersions?.[0] as MetricPlugin<AnlsOptions>;

type Dialect = AnlsOptions['dialect'];
const scoreWith = (
  metric: MetricPlugin<AnlsOptions>,
  prediction: string,
  references: string[],
  dialect: Dialect = 'lmms-eval',
  threshold = 0.5,
) => metric.score(prediction, references, { threshold, dialect }).score;
/** The four combinations, in the order v1/lmms-eval, v1/vlmevalkit, v2/lmms-eval, v2/vlmevalkit. */
const all = (prediction: string, references: string[], threshold = 0.5) => [
  scoreWith(v1, prediction, references, 'lmms-eval', threshold),
  scoreWith(v1, prediction, references, 'vlmevalkit', threshold),
  scoreWith(v2, prediction, references, 'lmms-eval', threshold),
  scoreWith(v2, prediction, references, 'vlmevalkit', threshold),
];

describe('anls: what every version and dialect agrees on', () => {
  it('is 1 for an answer equal after lower-casing and whitespace folding', () => {
    expect(all('Hello', ['hello'])).toEqual([1, 1, 1, 1]);
    expect(all('new   YORK', ['New York'])).toEqual([1, 1, 1, 1]);
    // Python's str.split() splits on a no-break space and an ideographic space too.
    expect(all('new\u00a0york', ['New\u3000York'])).toEqual([1, 1, 1, 1]);
  });

  it('keeps a similarity exactly at the threshold and zeroes one below', () => {
    // "ab" vs "ac": distance 1, length 2 → 1 − 1/2 = 0.5, not < 0.5: kept (the paper would drop it).
    expect(all('ab', ['ac'])).toEqual([0.5, 0.5, 0.5, 0.5]);
    // "abc" vs "axy": distance 2, length 3 → 1/3 < 0.5: 0; with τ = 0.3 or 0 it stays 1 − 2/3.
    expect(all('abc', ['axy'])).toEqual([0, 0, 0, 0]);
    expect(all('abc', ['axy'], 0.3)).toEqual(Array(4).fill(1 - 2 / 3));
    expect(all('abc', ['axy'], 0)).toEqual(Array(4).fill(1 - 2 / 3));
  });

  it('counts Cyrillic, CJK and emoji by code point', () => {
    expect(all('Москва', ['москва'])).toEqual([1, 1, 1, 1]);
    // "масква" vs "москва": о→а, 1 edit of 6 → 5/6.
    expect(all('масква', ['Москва'])).toEqual(Array(4).fill(1 - 1 / 6));
    // "北京市" vs "北京": 1 deletion, length 3 → 2/3.
    expect(all('北京市', ['北京'])).toEqual(Array(4).fill(1 - 1 / 3));
    // 👍 vs 👍🏽 (2 code points, 4 UTF-16 units): 1 edit, length 2 → 0.5.
    expect(all('👍', ['👍🏽'])).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('does not normalise Unicode: a combining accent is a code point of its own', () => {
    // "cafe" + U+0301 (5 code points) vs "café" (4): e→é, then the accent is deleted: 2 edits;
    // length 5 either way (upper-casing keeps the count) → 1 − 2/5.
    expect(all('cafe\u0301', ['caf\u00e9'])).toEqual(Array(4).fill(1 - 2 / 5));
  });

  it('scores 1 when answer and prediction are both empty, 0 when only one is', () => {
    expect(all('', [''])).toEqual([1, 1, 1, 1]);
    // "   " normalises to "": distance 0; v1/vlmevalkit divides 0 by len("   ") = 3, still 1.
    expect(all('   ', [''])).toEqual([1, 1, 1, 1]);
    expect(all('', ['abc'])).toEqual([0, 0, 0, 0]);
    expect(all('abc', [''])).toEqual([0, 0, 0, 0]);
  });

  it('keeps the best of several references', () => {
    expect(all('1999', ['in 1999', '1999'])).toEqual([1, 1, 1, 1]);
    // "colour" vs "color": 1 edit, length 6 → 5/6; vs "shade": 6 edits → 0.
    expect(all('colour', ['shade', 'color'])).toEqual(Array(4).fill(1 - 1 / 6));
  });

  it('refuses an item with no reference', () => {
    for (const metric of [v1, v2]) {
      expect(() => scoreWith(metric, 'abc', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
    }
  });
});

describe('anls: where the versions and dialects differ', () => {
  it('version 1 divides by the raw upper-cased length, so "ß" counts twice; version 2 by the normalised length', () => {
    // "s" vs "ß": 1 substitution. v1: max(len("SS"), len("S")) = 2 → 1 − 1/2 = 0.5, kept.
    // v2: max(len("ß"), len("s")) = 1 → 1 − 1/1 = 0.
    expect(all('s', ['ß'])).toEqual([0.5, 0.5, 0, 0]);
    // "strasse" vs "Straße": ß→s and an inserted s, 2 edits. v1: len("STRASSE") = 7 on both sides;
    // v2: max(len("straße") = 6, len("strasse") = 7) = 7. Both 1 − 2/7.
    expect(all('strasse', ['Straße'])).toEqual(Array(4).fill(1 - 2 / 7));
  });

  it('version 1 counts the case mapping of the raw strings: "İ" is 1 upper-case but 2 lower-case code points', () => {
    // "İstanbul".lower() is "i̇stanbul" (i + U+0307, 9 code points) vs "istanbul": 1 deletion.
    // v1: max(len("İSTANBUL"), len("ISTANBUL")) = 8 → 1 − 1/8; v2: max(9, 8) = 9 → 1 − 1/9.
    expect(all('İstanbul', ['istanbul'])).toEqual([1 - 1 / 8, 1 - 1 / 8, 1 - 1 / 9, 1 - 1 / 9]);
    expect(all('istanbul', ['İstanbul'])).toEqual([1 - 1 / 8, 1 - 1 / 8, 1 - 1 / 9, 1 - 1 / 9]);
  });

  it('version 1 counts inner whitespace runs in the length; version 2 folds them first', () => {
    // "new york" vs "new yorc": 1 edit. v1: len("NEW   YORK") = 10 → 0.9; v2: 8 → 1 − 1/8.
    expect(all('new   york', ['new yorc'])).toEqual([0.9, 0.9, 1 - 1 / 8, 1 - 1 / 8]);
  });

  it('trailing spaces of the prediction: lmms-eval trims them, VLMEvalKit counts them (version 1 only)', () => {
    // Normalised "ab" vs "ac": 1 edit. v1/lmms-eval: "ab" → length 2 → 0.5.
    // v1/vlmevalkit: len("AB  ") = 4 → 0.75. v2: max(len("ab"), len("ac")) = 2 → 0.5.
    expect(all('ab  ', ['ac'])).toEqual([0.5, 0.75, 0.5, 0.5]);
    // The trim is Python's str.strip(): Unicode whitespace at both ends (U+3000, U+00A0).
    expect(all('\u3000ab\u00a0', ['ac'])).toEqual([0.5, 0.75, 0.5, 0.5]);
  });

  it('no peer trims the answer before measuring its length (version 1)', () => {
    // Normalised "ab" vs "ac": 1 edit; v1: max(len("  AC  ") = 6, 2) → 1 − 1/6; v2: 2 → 0.5.
    expect(all('ab', ['  ac  '])).toEqual([1 - 1 / 6, 1 - 1 / 6, 0.5, 0.5]);
  });

  it('normalisedDistance takes the same rule, version 2 / lmms-eval by default', () => {
    expect(normalisedDistance('s', 'ß')).toBe(1);
    expect(normalisedDistance('s', 'ß', { denominator: 'raw', dialect: 'lmms-eval' })).toBe(0.5);
    expect(normalisedDistance('ab  ', 'ac', { denominator: 'raw', dialect: 'vlmevalkit' })).toBe(0.25);
  });
});

describe('anls aggregate', () => {
  const record = (id: string, prediction: string, references: string[]): PredictionRecord => ({
    id,
    prediction,
    raw: prediction,
    references,
    metadata: {},
    prompt: 'p',
    timing: null,
    error: null,
  });

  it('is the mean of the item scores (the host default)', () => {
    const uses = [{ plugin: anls, options: { threshold: 0.5, dialect: 'lmms-eval' }, id: 'anls@2' }];
    // Item scores 1 ("yes" = "Yes") and 0.5 ("ab" vs "ac"): mean 0.75.
    const table = scoreItems([record('a', 'yes', ['Yes']), record('b', 'ab', ['ac'])], uses);
    // toMatchObject: the host may add more (confidence intervals) beside these.
    expect(summariseMetrics(table, uses)).toMatchObject([
      { id: 'anls@2', name: 'anls', version: 2, direction: 'higher', score: 0.75, n: 2 },
    ]);
  });

  it('runs both versions and a dialect side by side, each under its own id', () => {
    const uses: MetricUse[] = [
      { plugin: v2, options: { threshold: 0.5, dialect: 'lmms-eval' } },
      { plugin: v1, options: { threshold: 0.5, dialect: 'lmms-eval' } },
      { plugin: v1, options: { threshold: 0.5, dialect: 'vlmevalkit' } },
    ].map((use) => ({ ...use, id: metricId(use.plugin, use.options) }));
    expect(uses.map((use) => use.id)).toEqual(['anls@2', 'anls@1', 'anls@1/vlmevalkit']);
    // Items: "s" vs "ß" (v2 0, v1 0.5) and "ab  " vs "ac" (lmms-eval 0.5, v1/vlmevalkit 0.75).
    const table = scoreItems([record('a', 's', ['ß']), record('b', 'ab  ', ['ac'])], uses);
    expect(summariseMetrics(table, uses).map(({ id, score }) => ({ id, score }))).toEqual([
      { id: 'anls@2', score: 0.25 },
      { id: 'anls@1', score: 0.5 },
      { id: 'anls@1/vlmevalkit', score: 0.625 },
    ]);
  });
});
