import type { ItemScore } from '@vhb/sdk';
import { streamSeeds, TOLERANCE } from './bench.js';
import { ocrItems, vqaItems } from './generate.js';
import { aggregateOf, type BenchMetric, benchMetrics, type MetricName } from './ours.js';

/** Peak RSS the streaming mode must stay under, in bytes (300 MB). */
export const RSS_LIMIT_BYTES = 300_000_000;

/** How many leading items are also kept whole, to check the running sums against aggregate(). */
export const CHECK_WINDOW = 10_000;

/** O(1) running sums of one metric's item scores. */
class Accumulator {
  count = 0;
  scoreSum = 0;
  errors = 0;
  length = 0;

  constructor(readonly metric: BenchMetric) {}

  add({ score, details }: ItemScore): void {
    this.count++;
    this.scoreSum += score;
    if (details) {
      this.errors += (details.substitutions ?? 0) + (details.deletions ?? 0) + (details.insertions ?? 0);
      this.length += details.refLength ?? 0;
    }
  }

  /** The metric's figure: the mean for ANLS, the corpus rate (all errors / all reference tokens) for CER and WER. */
  get aggregate(): number {
    if (this.metric.items === 'vqa') return this.scoreSum / this.count;
    return this.length === 0 ? this.errors : this.errors / this.length;
  }

  get mean(): number {
    return this.scoreSum / this.count;
  }
}

export interface StreamMetric {
  metric: MetricName;
  id: string;
  aggregate: number;
  mean: number;
  /** Running sums vs the metric's own aggregate() over the first CHECK_WINDOW items. */
  check: { items: number; running: number; aggregate: number; ok: boolean };
}

export interface StreamResult {
  items: number;
  seconds: number;
  cpuSeconds: number;
  /** Items per wall-clock second, generation and every metric together. */
  itemsPerSecond: number;
  metrics: StreamMetric[];
  peakRssBytes: number;
  ok: boolean;
}

/**
 * Scores `total` generated items streaming: each VQA pair and OCR pair is generated, scored by
 * score() of ANLS, CER and WER, folded into running sums and dropped, so memory stays flat
 * whatever `total` is. aggregate() takes the whole list of item scores, so it is called only on
 * the first CHECK_WINDOW items, to check the running sums give the same figure.
 */
export function runStream(total: number, seed: number, progress?: (done: number) => void): StreamResult {
  const seeds = streamSeeds(seed);
  const sources = { vqa: vqaItems(seeds.vqa), ocr: ocrItems(seeds.ocr) };
  const metrics = benchMetrics();
  const sums = metrics.map((metric) => new Accumulator(metric));
  let windows: ItemScore[][] | null = metrics.map(() => []);
  const checks: StreamMetric['check'][] = [];
  const window = Math.min(CHECK_WINDOW, total);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let k = 0; k < total; k++) {
    const pairs = { vqa: sources.vqa.next().value, ocr: sources.ocr.next().value };
    for (let m = 0; m < metrics.length; m++) {
      const metric = metrics[m] as BenchMetric;
      const { prediction, references } = pairs[metric.items];
      const score = metric.plugin.score(prediction, references, metric.options);
      (sums[m] as Accumulator).add(score);
      windows?.[m]?.push(score);
    }
    if (windows && k + 1 === window) {
      for (let m = 0; m < metrics.length; m++) {
        const running = (sums[m] as Accumulator).aggregate;
        const aggregate = aggregateOf(metrics[m] as BenchMetric, windows[m] as ItemScore[]);
        checks.push({ items: window, running, aggregate, ok: Math.abs(running - aggregate) <= TOLERANCE });
      }
      windows = null;
    }
    if (progress && (k + 1) % 250_000 === 0 && k + 1 < total) progress(k + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const results = metrics.map((metric, m): StreamMetric => {
    const sum = sums[m] as Accumulator;
    return { metric: metric.name, id: metric.id, aggregate: sum.aggregate, mean: sum.mean, check: checks[m] as StreamMetric['check'] };
  });
  return {
    items: total,
    seconds,
    cpuSeconds: (user + system) / 1e6,
    itemsPerSecond: total / seconds,
    metrics: results,
    peakRssBytes,
    ok: peakRssBytes < RSS_LIMIT_BYTES && results.every((result) => result.check.ok),
  };
}
