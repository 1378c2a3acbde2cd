import anls from '@vhb/metric-anls';
import cer from '@vhb/metric-cer';
import wer from '@vhb/metric-wer';
import { type ItemScore, type MetricPlugin, mean, metricId, parseOptions } from '@vhb/sdk';
import type { BenchItem } from './generate.js';

/** The metric families the benchmark times, by registry name. */
export type MetricName = 'anls' | 'cer' | 'wer';

export const METRIC_NAMES: readonly MetricName[] = ['anls', 'cer', 'wer'];

/** One algorithm version of a metric, with its default options, as a run without an options block scores it. */
export interface BenchMetric {
  name: MetricName;
  /** `name@algorithmVersion` (and `/dialect` for a non-default one), as results record it. */
  id: string;
  plugin: MetricPlugin<any>;
  options: unknown;
  /** Which generated pairs it scores: short VQA answers, or OCR lines. */
  items: 'vqa' | 'ocr';
}

/**
 * The default export of @vhb/metric-anls, -cer and -wer, each followed by the older algorithm
 * versions it still provides (`previousVersions`, e.g. `anls@1`), all with default options.
 */
export function benchMetrics(): BenchMetric[] {
  const family = (name: MetricName, plugin: MetricPlugin<any>, items: BenchMetric['items']) =>
    [plugin, ...(plugin.previousVersions ?? [])].map((version): BenchMetric => {
      const options = parseOptions(version, {});
      return { name, id: metricId(version, options), plugin: version, options, items };
    });
  return [...family('anls', anls, 'vqa'), ...family('cer', cer, 'ocr'), ...family('wer', wer, 'ocr')];
}

/** Summed S/D/I counts of error-rate metrics, from each item's `details`. */
export interface EditCounts {
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** The metric's own aggregate of item scores (the host's default, the mean, when it has none). */
export function aggregateOf(metric: BenchMetric, scores: readonly ItemScore[]): number {
  const { plugin, options } = metric;
  const result = plugin.aggregate ? plugin.aggregate(scores, options) : mean(scores.map((s) => s.score));
  return typeof result === 'number' ? result : (result?.score ?? Number.NaN);
}

/** Mean of the item scores, for error rates the clearly labelled "per-item mean", not the corpus rate. */
export function itemMean(scores: readonly ItemScore[]): number {
  return mean(scores.map((s) => s.score)) ?? Number.NaN;
}

/** Summed edit counts, when the metric reports them in `details`; null otherwise. */
export function editCounts(scores: readonly ItemScore[]): EditCounts | null {
  const totals: EditCounts = { hits: 0, substitutions: 0, deletions: 0, insertions: 0 };
  for (const { details } of scores) {
    if (details?.hits === undefined || details.substitutions === undefined) return null;
    totals.hits += details.hits;
    totals.substitutions += details.substitutions;
    totals.deletions += details.deletions ?? 0;
    totals.insertions += details.insertions ?? 0;
  }
  return totals;
}

/** One timed pass of our metric over the items. */
export interface OurTiming {
  items: number;
  /** Wall-clock seconds in score() over all items plus the one aggregate() call. */
  seconds: number;
  /** CPU seconds of the process (user + system) over the same span, GC threads included. */
  cpuSeconds: number;
  scores: ItemScore[];
  aggregate: number;
}

/**
 * Scores every item with score(), then calls aggregate() once, and times both together. A warm-up
 * pass over the first `warmup` items (untimed) lets V8 compile the hot loops first, as it would
 * have long before the 100,000th item of a real run.
 */
export function timeOurs(metric: BenchMetric, items: readonly BenchItem[], warmup = 1000): OurTiming {
  const { plugin, options } = metric;
  for (let k = 0; k < Math.min(warmup, items.length); k++) {
    const item = items[k] as BenchItem;
    plugin.score(item.prediction, item.references, options);
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const scores: ItemScore[] = new Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const item = items[k] as BenchItem;
    scores[k] = plugin.score(item.prediction, item.references, options);
  }
  const aggregate = aggregateOf(metric, scores);
  const { user, system } = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return { items: items.length, seconds, cpuSeconds: (user + system) / 1e6, scores, aggregate };
}
