import { describe, expect, it } from 'vitest';
import { exactMean, numpyMean, sequentialMean } from '../src/index.js';

// Worked by hand in units of u = 2^-54: the double of 1/3 is 6004799503160661u, that of 2/3
// 12009599006321322u; between 1 and 2 doubles are 4u apart, between 2 and 4, 8u apart.

describe('the three ways the peers average', () => {
  it('sequentialMean adds left to right, rounding after each addition', () => {
    // 2/3 + 2/3 = 24019198012642644u (exact); + 1/3 = 30023997515803305u → rounds down to …304u;
    // + 1/3 = 36028797018963965u → rounds down to …964u = 2 − 2^-52; / 4 = 0.5 − 2^-54.
    expect(sequentialMean([2 / 3, 2 / 3, 1 / 3, 1 / 3])).toBe(0.5 - 2 ** -54);
    // 1/3 + 1/3 + 2/3 = 24019198012642644u (exact); + 2/3 = 36028797018963966u, halfway between
    // …964u and …968u: ties to even, 2^55·u = 2; / 4 = 0.5.
    expect(sequentialMean([1 / 3, 1 / 3, 2 / 3, 2 / 3])).toBe(0.5);
  });

  it('exactMean rounds the exact mean once (statistics.mean)', () => {
    // The exact sum is 36028797018963966u = 2 − 2^-53, the mean 0.5 − 2^-55: halfway between
    // 0.5 − 2^-54 and 0.5, ties to even: 0.5, whatever the order.
    expect(exactMean([2 / 3, 2 / 3, 1 / 3, 1 / 3])).toBe(0.5);
    expect(exactMean([1 / 3, 1 / 3, 2 / 3, 2 / 3])).toBe(0.5);
    expect(exactMean([0, 0])).toBe(0);
    expect(exactMean([1, 1, 1])).toBe(1);
  });

  it('numpyMean keeps eight partial sums (pairwise summation)', () => {
    // Doubles near 1e16 are 2 apart, so 1e16 + 1 is a tie that rounds back to 1e16.
    const values = [1e16, 1, 1, 1, -1e16, 0, 0, 0];
    // Left to right: 1e16 + 1 + 1 + 1 stays 1e16; − 1e16 → 0.
    expect(sequentialMean(values)).toBe(0);
    // numpy: ((1e16 + 1) + (1 + 1)) + ((−1e16 + 0) + (0 + 0)) = (1e16 + 2) − 1e16 = 2; 2 / 8.
    expect(numpyMean(values)).toBe(0.25);
    // Exact: 3 / 8.
    expect(exactMean(values)).toBe(0.375);
    // Fewer than eight values: numpy adds left to right too.
    expect(numpyMean([2 / 3, 2 / 3, 1 / 3, 1 / 3])).toBe(0.5 - 2 ** -54);
  });

  it('numpyMean folds blocks of eight into the partial sums', () => {
    // 130 values: 1e16, sixteen 1s, −1e16, then zeros. Partial sum 0 gets 1e16 and the 1s at 8
    // and 16 (each a tie that stays 1e16); sum 1 gets 1, 1 and −1e16 (−1e16 + 2); sums 2–7 get
    // two 1s each. ((1e16 + (−1e16 + 2)) + 4) + (4 + 4) = 14; 14 / 130.
    const values = [1e16, ...Array(16).fill(1), -1e16, ...Array(112).fill(0)];
    expect(numpyMean(values)).toBe(14 / 130);
  });
});
