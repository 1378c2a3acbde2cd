import type { ItemScore } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import cer from '../src/index.js';

/** The aggregate of the items, each scored against its reference. */
const aggregate = (pairs: [string, string][]) => {
  const result = cer.aggregate?.(
    pairs.map(([reference, prediction]) => cer.score(prediction, [reference], {})),
    {},
  );
  if (typeof result !== 'object') throw new Error('cer aggregates to an object: the corpus rate and its details');
  return result;
};
const corpus = (pairs: [string, string][]) => aggregate(pairs).score;

describe('cer aggregate', () => {
  it('is all errors over all reference characters, as jiwer.cer on lists', () => {
    // jiwer test_permutations_invariance: "i"→"i am" (3 insertions), "am i good"→"i good"
    // (3 deletions): 6 errors over 1 + 9 characters.
    expect(
      corpus([
        ['i', 'i am'],
        ['am i good', 'i good'],
      ]),
    ).toBeCloseTo(0.6, 15);
    // jiwer test_return_dict: hits 6, substitutions 1, deletions 3, insertions 3: 7 / 10.
    expect(
      corpus([
        ['i', 'i am'],
        ['am i good', 'y good'],
      ]),
    ).toBeCloseTo(0.7, 15);
  });

  it('is not the mean of the item rates', () => {
    // 0 errors in 9 characters, 1 in 1: corpus 1/10, while the mean of rates would be 0.5.
    expect(
      corpus([
        ['abcdefghi', 'abcdefghi'],
        ['x', 'y'],
      ]),
    ).toBe(1 / 10);
  });

  it('counts an empty reference in the errors but not the length', () => {
    // jiwer test_multiple_one_empty_ref, per character: "hello world" exact, "" → "done" 4 insertions.
    expect(
      corpus([
        ['hello world', 'hello world'],
        ['', 'done'],
      ]),
    ).toBe(4 / 11);
    // No reference characters at all: the number of errors.
    expect(
      corpus([
        ['', 'ab'],
        ['', 'c'],
      ]),
    ).toBe(3);
  });

  it("returns jiwer's summed counts (tests/test_cer.py test_return_dict) and the per-item mean, labelled as such", () => {
    // jiwer.cer(["i", "am i good"], ["i am", "y good"], return_dict=True):
    // {cer: 0.7, hits: 6, substitutions: 1, deletions: 3, insertions: 3}.
    // Per item: "i" → "i am" is 1 hit + 3 insertions (rate 3/1); "am i good" → "y good" matches
    // " good" (5 hits), then "am i" → "y" is 1 substitution + 3 deletions (rate 4/9).
    expect(
      aggregate([
        ['i', 'i am'],
        ['am i good', 'y good'],
      ]),
    ).toEqual({
      score: 7 / 10,
      details: { itemMean: (3 + 4 / 9) / 2, hits: 6, substitutions: 1, deletions: 3, insertions: 3, refLength: 10 },
    });
  });

  it('labels the per-item mean apart from the corpus rate, which is the score', () => {
    // A long perfect line and a one-letter miss: corpus 1/10, item mean (0 + 1) / 2.
    const result = aggregate([
      ['abcdefghi', 'abcdefghi'],
      ['x', 'y'],
    ]);
    expect(result.score).toBe(1 / 10);
    expect(result.details).toMatchObject({ itemMean: 0.5, refLength: 10 });
  });

  it('refuses scores without edit counts', () => {
    const bare: ItemScore[] = [{ score: 0.5 }];
    expect(() => cer.aggregate?.(bare, {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
  });
});
