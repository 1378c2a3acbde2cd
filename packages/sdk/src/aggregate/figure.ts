import type { AggregateResult, ItemScore, MetricPlugin } from '../plugins.js';
import { npSum } from '../stats.js';
import { type BootstrapOptions, bootstrapCi } from './bootstrap.js';

/** A metric with its validated options, as the run uses it. */
export interface AggregatingMetric {
  plugin: MetricPlugin<any>;
  options: unknown;
}

/**
 * The scores behind one figure: units (item scores, or parts of items) in clusters, one cluster
 * per item. `starts[c]` is the index of cluster c's first unit; `starts[clusters]` is the unit count.
 */
export interface ScoreSample {
  units: ItemScore[];
  starts: number[];
  /**
   * The units are parts of items (grouped by a part label): their figure is the mean of their
   * scores, since a metric's aggregate reads whole items' details (per-field ANLS from a JSON
   * metric's parts, per-class recall from a classification metric's parts grouped by `reference`).
   */
  parts?: boolean;
}

/** One figure with its interval: the metric's own aggregate over the sample, and a bootstrap CI of it. */
export interface Figure {
  score: number | null;
  ci: [number, number] | null;
  /** Units aggregated: items, or parts when grouped by a part label. */
  n: number;
  details?: Record<string, unknown>;
}

/** Compares ids by UTF-16 code units: an order that does not depend on the locale. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A sample of whole items: one unit per cluster. */
export function itemSample(scores: ItemScore[]): ScoreSample {
  return { units: scores, starts: Array.from({ length: scores.length + 1 }, (_, i) => i) };
}

/** The metric's aggregate over the units: its own `aggregate` (items only), or the mean of the scores. */
export function aggregateUnits(use: AggregatingMetric, units: readonly ItemScore[], parts = false): AggregateResult {
  if (use.plugin.aggregate && !parts) {
    const result = use.plugin.aggregate(units, use.options);
    return typeof result === 'number' ? { score: result } : result;
  }
  // numpy's mean (pairwise sum), as the metric bin's default aggregate computes it.
  return { score: npSum(units.map((unit) => unit.score)) / units.length };
}

/** The mean statistic on typed arrays: per-cluster sums and counts, so a resample costs one pass over the draw. */
function meanStatistic(sample: ScoreSample): (draw: Uint32Array) => number {
  const clusters = sample.starts.length - 1;
  const sums = new Float64Array(clusters);
  const counts = new Float64Array(clusters);
  for (let c = 0; c < clusters; c++) {
    const start = sample.starts[c] as number;
    const end = sample.starts[c + 1] as number;
    let sum = 0;
    for (let u = start; u < end; u++) sum += (sample.units[u] as ItemScore).score;
    sums[c] = sum;
    counts[c] = end - start;
  }
  return (draw) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < draw.length; i++) {
      const c = draw[i] as number;
      sum += sums[c] as number;
      count += counts[c] as number;
    }
    return sum / count;
  };
}

/**
 * Copies of the units built the same way, so that they share hidden classes. Scores straight from
 * a metric can carry a dozen object shapes for one `details` layout (spreads, number
 * representations), which makes every property read in the aggregate megamorphic: measured 10×
 * slower over 1000 resamples. The copies hold the same values (structuredClone keeps NaN and
 * Infinity); anything that cannot be cloned is used as it is.
 */
function uniform(units: ItemScore[]): ItemScore[] {
  try {
    return structuredClone(units);
  } catch {
    return units;
  }
}

/** The metric's own aggregate on the resampled units: corpus-level rates are recomputed from the drawn items' counts. */
function aggregateStatistic(use: AggregatingMetric, sample: ScoreSample): (draw: Uint32Array) => number {
  const { starts } = sample;
  const units = uniform(sample.units);
  const drawn: ItemScore[] = [];
  return (draw) => {
    drawn.length = 0;
    for (let i = 0; i < draw.length; i++) {
      const c = draw[i] as number;
      for (let u = starts[c] as number; u < (starts[c + 1] as number); u++) drawn.push(units[u] as ItemScore);
    }
    return aggregateUnits(use, drawn).score;
  };
}

/**
 * The figure of one metric over one sample, with its bootstrap CI: resamples clusters (items)
 * with replacement, takes all their units, and recomputes the figure: the metric's own aggregate
 * for whole items, the mean (Σ scores / Σ units of the drawn items) for parts. `stream`
 * seeds the generator (see `deriveSeed`).
 */
export function figure(use: AggregatingMetric, sample: ScoreSample, stream: number, options: BootstrapOptions = {}): Figure {
  const n = sample.units.length;
  if (n === 0) return { score: null, ci: null, n: 0 };
  const result = aggregateUnits(use, sample.units, sample.parts);
  const statistic = use.plugin.aggregate && !sample.parts ? aggregateStatistic(use, sample) : meanStatistic(sample);
  const ci = bootstrapCi(sample.starts.length - 1, statistic, { ...options, seed: stream });
  return { score: result.score, ci, n, ...(result.details ? { details: result.details } : {}) };
}
