import type { ItemScore } from './plugins.js';
import type { TimingSummary } from './summary.js';

// numpy-exact statistics: the same doubles as numpy, to the last bit, so figures match peers that
// compute with numpy (scikit-learn, VLMEvalKit) and papers that report them.

/** numpy's pairwise sum of `n` values from `start` (see {@link npSum}). */
function pairwiseSum(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += values[i] as number;
    return sum;
  }
  if (n <= 128) {
    let r0 = values[start] as number;
    let r1 = values[start + 1] as number;
    let r2 = values[start + 2] as number;
    let r3 = values[start + 3] as number;
    let r4 = values[start + 4] as number;
    let r5 = values[start + 5] as number;
    let r6 = values[start + 6] as number;
    let r7 = values[start + 7] as number;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const at = start + i;
      r0 += values[at] as number;
      r1 += values[at + 1] as number;
      r2 += values[at + 2] as number;
      r3 += values[at + 3] as number;
      r4 += values[at + 4] as number;
      r5 += values[at + 5] as number;
      r6 += values[at + 6] as number;
      r7 += values[at + 7] as number;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) sum += values[start + i] as number;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/**
 * `np.sum(values)` (`np.add.reduce`) over a contiguous float64 array: numpy's pairwise summation
 * (numpy/_core/src/umath/loops_utils.h.src, `pairwise_sum`). Below 8 values a plain left-to-right
 * sum; up to 128, eight interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)),
 * then the remainder one by one; above, the two halves (the first a multiple of 8) summed apart.
 * So `npSum(Array(10).fill(0.1))` is 1, where a left-to-right sum gives 0.9999999999999999.
 */
export function npSum(values: ArrayLike<number>): number {
  // numpy adds the pairwise sum to the reduction's identity 0.0, so a sum of negative zeros is 0, not −0.
  return 0 + pairwiseSum(values, 0, values.length);
}

/** `np.mean(values)`: {@link npSum} over the count; null for no values. */
export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  return npSum(values) / values.length;
}

/**
 * `np.percentile(sorted, p)` with numpy's default method ("linear", type 7 of Hyndman & Fan):
 * the virtual index `(n − 1) · (p / 100)` between the two closest ranks, interpolated as numpy's
 * `_lerp` does it (`a + (b − a)·t` below t = 0.5, `b − (b − a)·(1 − t)` from 0.5 on), so the
 * result equals numpy's to the last bit. `sorted` must be ascending; NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = (sorted.length - 1) * (p / 100);
  const low = Math.floor(index);
  const t = index - low;
  const a = sorted[low] as number;
  const b = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Moves the k-th smallest of `a[left..right]` to `a[k]`, smaller ones before it and larger ones after (Hoare's quickselect). */
function select(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const x = a[left] as number;
    const y = a[(left + right) >>> 1] as number;
    const z = a[right] as number;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // median of three
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * {@link percentile} for several percentiles of unsorted values, by selection instead of a full
 * sort (as numpy itself partitions): the same numbers, in linear time, which matters when an
 * aggregate runs once per bootstrap resample. `values` is left untouched; NaN each for no values.
 */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const a = Float64Array.from(values);
  const n = a.length;
  if (n === 0) return ps.map(() => Number.NaN);
  // The ranks each percentile reads (its floor and the next), selected in ascending order so each
  // selection only searches what lies right of the previous one.
  const ranks = [
    ...new Set(ps.flatMap((p) => [Math.floor((n - 1) * (p / 100)), Math.min(Math.floor((n - 1) * (p / 100)) + 1, n - 1)])),
  ].sort((x, y) => x - y);
  let left = 0;
  for (const rank of ranks) {
    select(a, rank, left, n - 1);
    left = rank + 1;
  }
  return ps.map((p) => percentile(a, p));
}

/** Mean and p50/p90/p99 of a list of durations, as numpy computes them; null for no values. */
export function summariseTimes(values: readonly number[]): TimingSummary | null {
  if (values.length === 0) return null;
  const [p50, p90, p99] = percentiles(values, [50, 90, 99]) as [number, number, number];
  return { mean: mean(values) as number, p50, p90, p99 };
}

/**
 * Sums the numeric `details` fields `keys` over item scores, in item order: the sufficient
 * statistics of a corpus metric (as sacrebleu's `sum_of_lists` sums its segments'). Returns the
 * sums in `keys` order; throws `missing(key, details)` at the first item that lacks one.
 */
export function sumDetails(
  scores: readonly ItemScore[],
  keys: readonly string[],
  missing: (key: string, details: unknown) => Error,
): number[] {
  const sums = new Array<number>(keys.length).fill(0);
  for (const { details } of scores) {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const value = details?.[key];
      if (typeof value !== 'number') throw missing(key, details);
      sums[k] = (sums[k] as number) + value;
    }
  }
  return sums;
}
