import { type ItemScore, ngramCounts } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import chrf from '../src/index.js';
import { chrfWords } from '../src/ngrams.js';

type Options = Parameters<typeof chrf.score>[2];
const options = (extra: Record<string, unknown> = {}) => chrf.options?.parse(extra) as Options;
const sentence = (prediction: string, references: string[], extra: Record<string, unknown> = {}) =>
  chrf.score(prediction, references, options(extra)).score;
/** `corpus_chrf(hyps, [refs])` with one reference stream. */
const corpus = (hyps: string[], refs: string[], extra: Record<string, unknown> = {}) => {
  const opts = options(extra);
  const scores: ItemScore[] = hyps.map((hyp, i) => chrf.score(hyp, [refs[i] as string], opts));
  return chrf.aggregate?.(scores, opts) as number;
};

describe('chrf: sacrebleu test/test_chrf.py (EPSILON 1e-4)', () => {
  const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(1e-4);

  it('test_chrf_eff_order: the default smoothing (beta 3 in the suite)', () => {
    const cases: [string[], string[], number][] = [
      [['a'], ['a'], 100.0],
      [[''], ['reference'], 0.0],
      [['a b c'], ['a b c'], 100.0],
      [['a b c'], ['abc'], 100.0],
      [[''], ['c'], 0.0],
      [['a', 'b'], ['a', 'c'], 50.0],
      [['aa'], ['ab'], 25.0],
    ];
    for (const [hyps, refs, expected] of cases) close(corpus(hyps, refs, { beta: 3 }), expected);
  });

  it('test_chrf: eps smoothing (beta 3)', () => {
    const cases: [string[], string[], number][] = [
      [['abcdefg'], ['hijklmnop'], 0.0],
      [['a'], ['b'], 0.0],
      [[''], ['b'], 0.0],
      [[''], ['ref'], 0.0],
      [[''], ['reference'], 0.0],
      [['aa'], ['ab'], 8.3333],
      [['a', 'b'], ['a', 'c'], 8.3333],
      [['a'], ['a'], 16.6667],
      [['a b c'], ['a b c'], 50.0],
      [['a b c'], ['abc'], 50.0],
      [
        [' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
        ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
        63.36173,
      ],
      [
        [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
        ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
        64.1302698,
      ],
      [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
    ];
    for (const [hyps, refs, expected] of cases) close(corpus(hyps, refs, { beta: 3, epsSmoothing: true }), expected);
  });

  it('test_chrf_keep_whitespace (beta 3)', () => {
    close(
      corpus(
        ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
        ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
        { beta: 3, whitespace: true },
      ),
      67.3481606,
    );
    close(
      corpus(
        ['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
        ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
        { beta: 3, whitespace: true },
      ),
      65.2414427,
    );
  });

  it('test_chrf_sentence_level: eps smoothing, beta 2, Czech', () => {
    const cases: [string, string, number][] = [
      [
        'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
        'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
        39.14078509,
      ],
      [
        'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
        'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
        31.22557079,
      ],
      [
        'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
        'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
        57.15704367,
      ],
    ];
    for (const [hyp, ref, expected] of cases) close(sentence(hyp, [ref], { epsSmoothing: true }), expected);
  });
});

describe('chrf: worked by hand (defaults: β = 2, 6 character orders, effective-order average)', () => {
  it('is 100 for a prediction equal to its reference, whitespace aside', () => {
    expect(sentence('мама мыла раму', ['мама мыла раму'])).toBe(100);
    // Whitespace is removed before the n-grams: "a b c" and "abc" are the same characters.
    expect(sentence('a\u00a0b\tc', ['abc'])).toBe(100);
  });

  it('averages precision and recall over the orders both sides have, then takes F-beta', () => {
    // "aa" vs "ab": order 1 hyp {a:2}, ref {a, b}: 1 match of 2 and 2 (P = R = 1/2); order 2 "aa"
    // vs "ab": 0 of 1 and 1 (P = R = 0); orders 3–6: the reference has none, so they are skipped.
    // P̄ = R̄ = 1/4, F = (1 + 4) · 1/16 / (4/4 + 1/4) = 1/4.
    expect(sentence('aa', ['ab'])).toBe(25);
    // Case-sensitive: "A" vs "a" has no match at all: 0; lowercase makes it 100.
    expect(sentence('A', ['a'])).toBe(0);
    expect(sentence('A', ['a'], { lowercase: true })).toBe(100);
  });

  it('counts code points: emoji modifiers and combining marks are characters of their own', () => {
    // "👍🏽" is 👍 + 🏽 (2 code points) vs "👍": order 1 has 1 match, P = 1/2, R = 1; order 2 is
    // skipped (the reference has no bigram). F = 5 · 1/2 · 1 / (4 · 1/2 + 1) = 5/6.
    expect(sentence('👍🏽', ['👍'])).toBeCloseTo((100 * 5) / 6, 12);
    // "cafe" + U+0301 (5 code points) vs "café" (4): orders 1–4 have matches 3, 2, 1, 0 of hyp 5, 4, 3, 2
    // and ref 4, 3, 2, 1; order 5 is skipped. P̄ = (3/5 + 1/2 + 1/3 + 0)/4 = 43/120,
    // R̄ = (3/4 + 2/3 + 1/2 + 0)/4 = 23/48; F = 5 P̄ R̄ / (4 P̄ + R̄) = 4945/11016.
    expect(sentence('cafe\u0301', ['caf\u00e9'])).toBeCloseTo((100 * 4945) / 11016, 12);
  });

  it('keeps the best of several references', () => {
    expect(sentence('abc', ['xyz', 'abc'])).toBe(100);
    expect(chrf.score('abc', ['abc', 'abd'], options()).details).toMatchObject({ char1Hyp: 3, char1Ref: 3, char1Match: 3 });
  });

  it('scores an empty prediction or an empty reference 0', () => {
    expect(sentence('', ['abc'])).toBe(0);
    expect(sentence('abc', [''])).toBe(0);
    expect(sentence('', [''])).toBe(0);
    // With an empty reference sacrebleu does not count the prediction's n-grams either.
    expect(chrf.score('abc', [''], options()).details).toMatchObject({ char1Hyp: 0, char1Ref: 0, char1Match: 0 });
  });

  it('counts n-grams the same way for large alphabets', () => {
    // 500 distinct CJK characters: keys of 6 ids no longer fit a number in base 501, so they are strings.
    const text = Array.from({ length: 500 }, (_, k) => String.fromCodePoint(0x4e00 + k)).join('');
    expect(chrf.score(text, [text], options()).details).toMatchObject({ char1Match: 500, char6Hyp: 495, char6Match: 495 });
    expect(sentence(text, [text])).toBe(100);
    // Numeric and string keys give the same counts: ids 1 2 1 2 1 have bigrams "1 2" ×2 and "2 1" ×2.
    const counts = (base: number) => ngramCounts([1, 2, 1, 2, 1], 3, base).map((order) => [...order.values()].sort());
    expect(counts(3)).toEqual([
      [2, 3],
      [2, 2],
      [1, 2],
    ]);
    expect(counts(0)).toEqual(counts(3));
  });

  it('refuses an item with no reference', () => {
    expect(() => sentence('abc', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });

  it('adds word n-grams for chrF++, splitting one punctuation mark off each word', () => {
    // sacrebleu #124: "(hi)" gives "(hi" and ")": a trailing mark is split first.
    expect(chrfWords('(hi) there. "x')).toEqual(['(hi', ')', 'there', '.', '"', 'x']);
    expect(sentence('the cat', ['the cat'], { wordOrder: 2 })).toBe(100);
    expect(Object.keys(chrf.score('a', ['a'], options({ wordOrder: 2 })).details ?? {})).toContain('word2Match');
  });
});

describe('chrf aggregate', () => {
  it('is chrF of the summed statistics, not the mean of the items', () => {
    // "a" vs "a": order 1 is 1, 1, 1. "ab" vs "cd": order 1 is 2, 2, 0; order 2 is 1, 1, 0.
    // Summed: order 1 P = R = 1/3, order 2 P = R = 0: P̄ = R̄ = 1/6, F = 1/6, while the items score 100 and 0.
    expect(corpus(['a', 'ab'], ['a', 'cd'])).toBeCloseTo(100 / 6, 12);
  });

  it('refuses item scores without their statistics', () => {
    expect(() => chrf.aggregate?.([{ score: 50 }], options())).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
    const scores = [chrf.score('a', ['a'], options())];
    expect(() => chrf.aggregate?.(scores, options({ wordOrder: 2 }))).toThrow(/word1Hyp/);
  });
});
