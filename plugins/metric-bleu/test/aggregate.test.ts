import { type AggregateResult, type ItemScore, metricId } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import bleu, { computeBleu } from '../src/index.js';

type Options = Parameters<typeof bleu.score>[2];
const options = (extra: Record<string, unknown> = {}) => bleu.options?.parse(extra) as Options;

/** The metric's aggregate (it has one), typed as what it returns. */
function aggregate(scores: readonly ItemScore[], opts: Options): AggregateResult {
  if (!bleu.aggregate) throw new Error('bleu aggregates');
  return bleu.aggregate(scores, opts) as AggregateResult;
}

/** `corpus_bleu(hyps, streams)`: item i is scored against the i-th line of every reference stream. */
function corpus(hyps: readonly string[], streams: readonly (readonly string[])[], extra: Record<string, unknown> = {}): AggregateResult {
  const opts = options(extra);
  const scores = hyps.map((hyp, i) =>
    bleu.score(
      hyp,
      streams.map((stream) => stream[i] as string),
      opts,
    ),
  );
  return aggregate(scores, opts);
}

// sacrebleu test/test_bleu.py: the README example, three sentences with two reference streams.
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('bleu aggregate: sacrebleu test/test_bleu.py', () => {
  it('reproduces test_corpus_bleu (EPSILON 1e-8)', () => {
    const cases: [readonly string[], Record<string, unknown>, number][] = [
      [hyps, {}, 48.530827],
      [['', '', ''], {}, 0.0],
      [hyps, { tokenize: 'none' }, 49.1919566],
      [hyps, { tokenize: '13a' }, 48.530827],
      [hyps, { smoothMethod: 'none' }, 48.530827],
    ];
    for (const [h, extra, expected] of cases) expect(Math.abs(corpus(h, refs, extra).score - expected)).toBeLessThan(1e-8);
  });

  it('reproduces test_max_ngram_order (to 2 decimals)', () => {
    const expected = ['77.65', '60.50', '53.93', '48.53', '46.14', '43.28'];
    expected.forEach((value, k) => {
      expect(corpus(hyps, refs, { maxNgramOrder: k + 1 }).score.toFixed(2)).toBe(value);
    });
  });

  // raw_corpus_bleu(hyps, refs, smooth_value) is corpus_bleu with tokenize='none', smooth_method='floor',
  // use_effective_order=True; the suite divides by 100.
  const raw = { tokenize: 'none', smoothMethod: 'floor', effectiveOrder: true };
  it('reproduces test_raw_bleu and test_effective_order', () => {
    const cases: [string[], string[], number][] = [
      [['this is a test', 'another test'], ['ref1', 'ref2'], 0.0],
      [['this is a test'], ['this is a test'], 1.0],
      [['this is a fest'], ['this is a test'], 0.223606797749979],
      [['test'], ['a test'], 0.3678794411714425],
      [['a test'], ['a test'], 1.0],
      [['a little test'], ['a test'], 0.03218297948685433],
    ];
    for (const [h, r, expected] of cases)
      expect(Math.abs(corpus(h, [r], { ...raw, smoothValue: 0.01 }).score / 100 - expected)).toBeLessThan(1e-8);
  });

  it('reproduces test_statistics and test_offset', () => {
    const h = ['am I am a character sequence'];
    const r = [['I am a symbol string sequence a a']];
    const { details } = corpus(h, r, { ...raw, smoothValue: 0.01 });
    expect({ counts: details?.counts, totals: details?.totals }).toEqual({ counts: [4, 2, 1, 0], totals: [6, 5, 4, 3] });
    expect(corpus(h, r, { ...raw, smoothValue: 0 }).score / 100).toBe(0);
    expect(Math.abs(corpus(h, r, raw).score / 100 - 0.1555722182)).toBeLessThan(1e-8); // floor's default 0.1
  });

  it('reproduces test_scoring and test_degenerate_statistics through computeBleu', () => {
    const none = { smoothMethod: 'none', effectiveOrder: false, maxNgramOrder: 4 } as const;
    expect(Math.abs(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, none).score / 100 - 0.8375922397)).toBeLessThan(1e-8);
    const degenerate: [number[], number[], number, number, number][] = [
      [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
      [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
      [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
      [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
    ];
    for (const [correct, total, sysLen, refLen, smoothValue] of degenerate) {
      expect(computeBleu(correct, total, sysLen, refLen, { ...none, smoothMethod: 'floor', smoothValue }).score).toBe(0);
    }
  });
});

describe('bleu aggregate: worked by hand', () => {
  it('is corpus BLEU from the summed statistics, not the mean of sentence BLEUs', () => {
    // "a b c d" = its reference: 4/4, 3/3, 2/2, 1/1. "x y" vs "z w": 0/2, 0/1, no 3- or 4-grams.
    // Sums: 4/6, 3/4, 2/2, 1/1; lengths 6 and 6, BP 1. (200/3 · 75 · 100 · 100)^(1/4) = (5 · 10⁷)^(1/4) = 84.0896,
    // while the sentence BLEUs are 100 and 0 (mean 50).
    const opts = options();
    const scores = [bleu.score('a b c d', ['a b c d'], opts), bleu.score('x y', ['z w'], opts)];
    expect(scores.map((s) => s.score)).toEqual([expect.closeTo(100, 10), 0]);
    const result = aggregate(scores, opts);
    expect(result.score).toBeCloseTo(5e7 ** 0.25, 10);
    expect(result.details).toEqual({
      counts: [4, 3, 2, 1],
      totals: [6, 4, 2, 1],
      precisions: [(100 * 4) / 6, 75, 100, 100],
      bp: 1,
      sysLen: 6,
      refLen: 6,
      ratio: 1,
    });
  });

  it('turns the corpus effective order off: a corpus without 4-grams scores 0', () => {
    // "the cat" alone: sentence BLEU 100 · e^−2 (order 2), corpus BLEU 0 (orders 3 and 4 have no n-grams).
    const opts = options();
    const scores = [bleu.score('the cat', ['the cat sat on the mat'], opts)];
    expect(aggregate(scores, opts).score).toBe(0);
    expect(aggregate(scores, options({ effectiveOrder: true })).score).toBeCloseTo(100 * Math.exp(-2), 10);
  });

  it('lets items have different numbers of references', () => {
    // Item 1 has two references, item 2 one: as sacrebleu with None in the second stream.
    const opts = options();
    const scores = [bleu.score('a b c d', ['a b c', 'a b c d'], opts), bleu.score('e f g h', ['e f g h'], opts)];
    const { details } = aggregate(scores, opts);
    expect(details?.counts).toEqual([8, 6, 4, 2]);
    expect(details?.refLen).toBe(8); // 4 (the 4-token reference is the closest) + 4
  });

  it('refuses item scores without their statistics', () => {
    const opts = options();
    expect(() => bleu.aggregate?.([{ score: 50 }], opts)).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
    // Scored with n-grams up to 4, aggregated with up to 6: correct5 is missing.
    const scores = [bleu.score('a b', ['a b'], opts)];
    expect(() => bleu.aggregate?.(scores, options({ maxNgramOrder: 6 }))).toThrow(/correct5/);
  });

  it('tags results of the CPython 3.12 dialect with it', () => {
    expect(metricId(bleu, options())).toBe('bleu@1');
    expect(metricId(bleu, options({ dialect: 'sacrebleu-py312' }))).toBe('bleu@1/sacrebleu-py312');
  });
});
