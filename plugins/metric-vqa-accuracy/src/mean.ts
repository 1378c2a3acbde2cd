import { npSum } from '@vhb/sdk';

// The mean of the leave-one-out accuracies, computed the way each peer computes it. The exact mean
// of ten values in {0, 1/3, 2/3, 1} is 0.3, 0.6, 0.9 or 1, but the sum of their doubles depends on
// the order of the additions, and the peers add differently, so the last digit can differ
// (0.6 vs 0.6000000000000001). Reproducing a peer's figure to the last digit needs its summation.

/**
 * `float(sum(values)) / len(values)` as the official script computes it on Python ≤ 3.11: left to
 * right from 0. (Python 3.12 made `sum()` of floats compensated, which can move the last digit.)
 */
export function sequentialMean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * `statistics.mean(values)`, as lmms-eval computes it: the exact mean of the doubles, rounded once
 * (Python sums them as fractions and divides the integers with correct rounding).
 */
export function exactMean(values: readonly number[]): number {
  const parts = values.map(decompose);
  let low = 0;
  for (const part of parts) if (part.mantissa !== 0n && part.exponent < low) low = part.exponent;
  let total = 0n;
  for (const { mantissa, exponent } of parts) total += mantissa << BigInt(exponent - low);
  return roundRatio(total, BigInt(values.length), low);
}

/**
 * `numpy.mean(values)` for a 1-D float64 array, as VLMEvalKit computes it: numpy's pairwise sum
 * (`npSum` from `@vhb/sdk`: eight interleaved partial sums for up to 128 values, halves above
 * that), then one division.
 */
export function numpyMean(values: readonly number[]): number {
  return npSum(values) / values.length;
}

/** A finite double as `mantissa × 2^exponent`, both integers. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  if (!Number.isFinite(value)) throw new RangeError(`exactMean needs finite values, got ${value}`);
  if (value === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: value < 0 ? -mantissa : mantissa, exponent };
}

/** `numerator / denominator × 2^exponent` rounded once to the nearest double (ties to even). */
function roundRatio(numerator: bigint, denominator: bigint, exponent: number): number {
  if (numerator === 0n) return 0;
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  // Scale so the quotient has at least 55 bits: 53 kept, a rounding bit, and a sticky bit below it
  // that records a non-zero remainder. BigInt → Number then rounds to nearest, ties to even, exactly.
  const shift = Math.max(0, 56 - (magnitude.toString(2).length - denominator.toString(2).length));
  const scaled = magnitude << BigInt(shift);
  const quotient = scaled / denominator;
  const sticky = scaled % denominator === 0n ? 0n : 1n;
  // Two power-of-two factors, so neither underflows to 0 on its own.
  const scale = exponent - shift - 1;
  const half = Math.trunc(scale / 2);
  const result = Number((quotient << 1n) | sticky) * 2 ** half * 2 ** (scale - half);
  return negative ? -result : result;
}
