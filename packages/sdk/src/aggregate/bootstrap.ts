import { percentile } from '../stats.js';
import { mulberry32 } from './random.js';

/** How confidence intervals are drawn. */
export interface BootstrapOptions {
  /** Resamples drawn (B); default 1000. */
  resamples?: number;
  /** Base seed of the generator; default 0. The same seed and scores always give the same interval. */
  seed?: number;
  /** Coverage of the interval; default 0.95 (the 2.5th and 97.5th percentiles). */
  level?: number;
}

export const BOOTSTRAP_DEFAULTS: Required<BootstrapOptions> = { resamples: 1000, seed: 0, level: 0.95 };

/**
 * The bootstrap distribution of a statistic: `resamples` times, draws `n` indices out of `n` with
 * replacement (uniformly, from a mulberry32 stream seeded with `seed`) and evaluates the statistic
 * on them. Returns the finite values, sorted ascending (a resample whose statistic is NaN or
 * infinite, e.g. a ratio over zero length, is left out).
 */
export function bootstrap(n: number, statistic: (draw: Uint32Array) => number, resamples: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const draw = new Uint32Array(n);
  const values = new Float64Array(resamples);
  let kept = 0;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) draw[i] = Math.floor(random() * n);
    const value = statistic(draw);
    if (Number.isFinite(value)) values[kept++] = value;
  }
  return values.subarray(0, kept).sort();
}

/**
 * Percentile bootstrap interval: the (1 − level)/2 and (1 + level)/2 percentiles of the resampled
 * statistic (2.5th and 97.5th for 95%). Null below two clusters (one item resamples to itself:
 * no spread to measure), when the statistic throws, or when no resample gave a finite value.
 */
export function bootstrapCi(n: number, statistic: (draw: Uint32Array) => number, options: BootstrapOptions = {}): [number, number] | null {
  const { resamples, seed, level } = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (n < 2 || resamples < 1) return null;
  let values: Float64Array;
  try {
    values = bootstrap(n, statistic, resamples, seed);
  } catch {
    return null;
  }
  if (values.length === 0) return null;
  const percent = level * 100; // 95, not 0.050000000000000044 from 1 − 0.95
  return [percentile(values, (100 - percent) / 2), percentile(values, (100 + percent) / 2)];
}
