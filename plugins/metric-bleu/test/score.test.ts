import { describe, expect, it } from 'vitest';
import bleu from '../src/index.js';

type Options = Parameters<typeof bleu.score>[2];
const options = (extra: Record<string, unknown> = {}) => bleu.options?.parse(extra) as Options;
/** Sentence BLEU of one item, as sacrebleu.sentence_bleu computes it. */
const sentence = (prediction: string, references: string[], extra: Record<string, unknown> = {}) =>
  bleu.score(prediction, references, options(extra)).score;

describe('bleu score: sacrebleu test/test_sentence_bleu.py', () => {
  // Example taken from sacrebleu #98; the suite checks to EPSILON = 1e-3.
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases: [Record<string, unknown>, number][] = [
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0.0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' }, 7.347],
    [{ tokenize: 'char' }, 40.8759],
    [{ tokenize: 'char', lowercase: true }, 42.0267],
  ];
  it.each(cases)('%j gives %d', (extra, expected) => {
    expect(Math.abs(sentence(SYS, [REF], extra) - expected)).toBeLessThan(1e-3);
  });

  it('scores 0 with any smoothing when no n-gram matches (#141)', () => {
    for (const smoothMethod of ['exp', 'none', 'floor', 'add-k'])
      expect(sentence('this is a cat', ['okay thanks'], { smoothMethod })).toBe(0);
  });
});

describe('bleu score: worked by hand', () => {
  it('is 100 (to rounding) for a prediction equal to its reference', () => {
    // Every precision is 100%, BP 1: exp((4 · log 100) / 4).
    expect(sentence('the cat sat on the mat', ['the cat sat on the mat'])).toBeCloseTo(100, 10);
  });

  it('smooths a missing order as sacrebleu does: exp, floor, add-k, none', () => {
    // hyp "a b c d e", ref "a b c x e": 1-grams a b c e of 5 (80%), 2-grams ab bc of 4 (50%),
    // 3-grams abc of 3 (33.3%), 4-grams 0 of 2. BP = 1.
    // exp: p4 = 100 / (2 · 2) = 25; (80 · 50 · 100/3 · 25)^(1/4) = (10⁸/30)^(1/4) = 42.7287.
    expect(sentence('a b c d e', ['a b c x e'])).toBeCloseTo(100 / 30 ** 0.25, 10);
    // floor 0.1: p4 = 100 · 0.1 / 2 = 5; (80 · 50 · 100/3 · 5)^(1/4) = (10⁸/150)^(1/4) = 28.5744.
    expect(sentence('a b c d e', ['a b c x e'], { smoothMethod: 'floor' })).toBeCloseTo(100 / 150 ** 0.25, 10);
    // add-k 1 (orders ≥ 2): 3/5, 2/4, 1/3; (80 · 60 · 50 · 100/3)^(1/4) = (10⁸/12.5)^(1/4) = 53.1829.
    expect(sentence('a b c d e', ['a b c x e'], { smoothMethod: 'add-k' })).toBeCloseTo(100 / 12.5 ** 0.25, 10);
    // none: log 0 is floored to −9999999999, so the score is 0.
    expect(sentence('a b c d e', ['a b c x e'], { smoothMethod: 'none' })).toBe(0);
  });

  it('uses the effective order at sentence level, and the brevity penalty', () => {
    // hyp "the cat" (2 tokens) vs a 6-token ref: 2/2 unigrams, 1/1 bigram, no 3- or 4-grams, so
    // the order is 2: exp((log 100 + log 100) / 2) = 100, times BP exp(1 − 6/2) = e^−2: 13.5335.
    expect(sentence('the cat', ['the cat sat on the mat'])).toBeCloseTo(100 * Math.exp(-2), 10);
  });

  it('clips counts by the most any one reference has, and picks the closest reference length', () => {
    // "the" ×4 in the hyp; at most 2 in one reference (ref 2): 2/4. "the the" ×3; ref 2 has 1: 1/3.
    // No 3- or 4-gram matches: exp smoothing gives 100/(2·2) = 25 and 100/(4·1) = 25.
    // Reference lengths 2 and 3, hyp 4: the closest is 3, BP 1. (50 · 100/3 · 25 · 25)^(1/4) = (10⁸/96)^(1/4) = 31.9472.
    const result = bleu.score('the the the the', ['the cat', 'the the mat'], options());
    expect(result.score).toBeCloseTo(100 / 96 ** 0.25, 10);
    expect(result.details).toEqual({
      sysLen: 4,
      refLen: 3,
      correct1: 2,
      correct2: 1,
      correct3: 0,
      correct4: 0,
      total1: 4,
      total2: 3,
      total3: 2,
      total4: 1,
    });
  });

  it('breaks a tie between reference lengths towards the shorter', () => {
    // hyp of 4 tokens; references of 3 and 5 tokens are both 1 away: refLen 3, so BP is 1.
    const { details } = bleu.score('a b c d', ['a b c d e', 'a b c'], options());
    expect(details?.refLen).toBe(3);
    expect(sentence('a b c d', ['a b c d e', 'a b c'])).toBeCloseTo(100, 10);
  });

  it('is case-sensitive unless lowercase is set', () => {
    expect(sentence('The Cat', ['the cat'])).toBe(0);
    // Both tokens match once lower-cased: 2/2, 1/1, effective order 2: 100.
    expect(sentence('The Cat', ['the cat'], { lowercase: true })).toBeCloseTo(100, 10);
    expect(sentence('ΟΔΟΣ', ['οδος'], { lowercase: true })).toBeCloseTo(100, 10); // final sigma
  });

  it("splits on Python's whitespace and ignores trailing whitespace", () => {
    expect(sentence('a  b\tc\u00a0d \n', ['a b c d'])).toBeCloseTo(100, 10);
    // The BOM is not whitespace in Python: "a\ufeff" is one token, not "a". 1/2 unigrams, no bigram:
    // p1 = 50, p2 = 100/(2 · 1) = 50 (exp smoothing), order 2: 50.
    expect(sentence('a\ufeff b', ['a b'])).toBeCloseTo(50, 10);
  });

  it('scores Cyrillic, CJK, combining marks and emoji as tokens, without Unicode normalisation', () => {
    expect(sentence('Москва — столица России.', ['Москва — столица России.'])).toBeCloseTo(100, 10);
    // 13a does not split CJK: one token each, and they differ.
    expect(sentence('東京は日本の首都です', ['東京は日本の首都'])).toBe(0);
    // With the char tokenizer, 8 of 10 characters match, 7 of 9 bigrams, 6 of 8 trigrams, 5 of 7 4-grams;
    // hyp 10 ≥ ref 8, BP 1: (80 · 700/9 · 75 · 500/7)^(1/4) = (10⁸/3)^(1/4) = 75.9836.
    expect(sentence('東京は日本の首都です', ['東京は日本の首都'], { tokenize: 'char' })).toBeCloseTo(100 / 3 ** 0.25, 10);
    // "cafe" + U+0301 is not "café": no match.
    expect(sentence('cafe\u0301', ['caf\u00e9'])).toBe(0);
    // 👍🏽 is 👍 plus a skin-tone modifier: a different token. "ok" matches: 1/2 unigrams, 0/1 bigram.
    // p2 = 100/(2 · 1) = 50; (50 · 50)^(1/2) = 50.
    expect(sentence('👍🏽 ok', ['👍 ok'])).toBeCloseTo(50, 10);
  });

  it('scores an empty prediction or an empty reference 0', () => {
    expect(bleu.score('', ['a b'], options())).toEqual({
      score: 0,
      details: { sysLen: 0, refLen: 2, correct1: 0, correct2: 0, correct3: 0, correct4: 0, total1: 0, total2: 0, total3: 0, total4: 0 },
    });
    expect(sentence('a b', [''])).toBe(0);
    // Both empty: no n-gram at all, so no match: 0, as sacrebleu.
    expect(sentence('', [''])).toBe(0);
    // An empty reference still counts as a reference of length 0 for the closest length.
    expect(bleu.score('a', ['', 'a b c'], options()).details?.refLen).toBe(0);
  });

  it('counts n-grams the same way for large vocabularies and high orders', () => {
    // 10,000 distinct tokens (n-gram keys no longer fit a number in base 10,001): a prediction equal
    // to its reference matches all 10000, 9999, 9998 and 9997 n-grams.
    const long = Array.from({ length: 10_000 }, (_, k) => `w${k}`).join(' ');
    expect(bleu.score(long, [long], options()).details).toMatchObject({ correct1: 10_000, correct4: 9997, total4: 9997 });
    // Order 20 over 3 distinct tokens (4^20 is not an exact key either): "a b c a b c ..." (25 tokens)
    // vs itself matches all 25 − n + 1 n-grams of each order.
    const abc = Array.from({ length: 25 }, (_, k) => 'abc'[k % 3]).join(' ');
    const { details } = bleu.score(abc, [abc], options({ maxNgramOrder: 20 }));
    expect([details?.correct1, details?.correct20, details?.total20]).toEqual([25, 6, 6]);
    // And 1 token in 3 changed: "a b x a b x": unigrams a b a b of 6; bigrams "a b" twice of 5.
    expect(bleu.score('a b x a b x', ['a b c a b c'], options({ maxNgramOrder: 20 })).details).toMatchObject({
      correct1: 4,
      correct2: 2,
      total2: 5,
    });
  });

  it('refuses an item with no reference', () => {
    expect(() => sentence('abc', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });
});
