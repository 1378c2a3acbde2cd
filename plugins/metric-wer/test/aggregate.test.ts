import type { ItemScore } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import wer from '../src/index.js';

/** The aggregate of the items, each scored against its reference. */
const aggregate = (pairs: [string, string][]) => {
  const result = wer.aggregate?.(
    pairs.map(([reference, prediction]) => wer.score(prediction, [reference], {})),
    {},
  );
  if (typeof result !== 'object') throw new Error('wer aggregates to an object: the corpus rate and its details');
  return result;
};
const corpus = (pairs: [string, string][]) => aggregate(pairs).score;

describe('wer aggregate', () => {
  it('is all errors over all reference words, as jiwer.wer on lists', () => {
    // jiwer test_multiple_one_empty_ref: "hello world" exact, "" → "done" 1 insertion: 1 / 2.
    expect(
      corpus([
        ['hello world', 'hello world'],
        ['', 'done'],
      ]),
    ).toBe(1 / 2);
    // "This is a test" → "This test" (2 deletions), "X" → "X X Y Y" (3 insertions): 5 / 5.
    expect(
      corpus([
        ['This is a test', 'This test'],
        ['X', 'X X Y Y'],
      ]),
    ).toBe(1);
  });

  it('is not the mean of the item rates', () => {
    // 0 errors in 4 words, 1 in 1: corpus 1/5, while the mean of rates would be 0.5.
    expect(
      corpus([
        ['a b c d', 'a b c d'],
        ['x', 'y'],
      ]),
    ).toBe(1 / 5);
  });

  it('is the number of errors when every reference is empty', () => {
    expect(
      corpus([
        ['', 'a b'],
        ['', 'c'],
      ]),
    ).toBe(3);
    expect(corpus([['', '']])).toBe(0);
  });

  it('returns the summed counts and the per-item mean, labelled as such', () => {
    // jiwer's README example: "hello world" → "hello duck" (1 hit, 1 substitution, rate 1/2);
    // "i like monthy python" → "i like python" (3 hits, 1 deletion, rate 1/4). Corpus 2/6.
    expect(
      aggregate([
        ['hello world', 'hello duck'],
        ['i like monthy python', 'i like python'],
      ]),
    ).toEqual({
      score: 2 / 6,
      details: { itemMean: (1 / 2 + 1 / 4) / 2, hits: 4, substitutions: 1, deletions: 1, insertions: 0, refLength: 6 },
    });
    // jiwer test_multiple_one_empty_ref: the empty reference's item scores its 1 insertion, so the
    // per-item mean is (0 + 1) / 2 while the corpus rate is 1 / 2 words.
    expect(
      aggregate([
        ['hello world', 'hello world'],
        ['', 'done'],
      ]).details,
    ).toEqual({ itemMean: 0.5, hits: 2, substitutions: 0, deletions: 0, insertions: 1, refLength: 2 });
  });

  it('refuses scores without edit counts', () => {
    const bare: ItemScore[] = [{ score: 0.5, details: { hits: 1 } }];
    expect(() => wer.aggregate?.(bare, {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
  });
});
