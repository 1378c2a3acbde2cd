import { type BenchItem, ocrItems, take, vqaItems } from './generate.js';
import { aggregateOf, benchMetrics, type EditCounts, editCounts, itemMean, METRIC_NAMES, type MetricName, timeOurs } from './ours.js';
import { sampleIndices } from './prng.js';
import { type PythonBatch, runPython } from './python.js';

/** Two figures agree when they differ by no more than this. */
export const TOLERANCE = 1e-9;

/** Seeds of the two item streams and of the Python subsets, derived from the one `--seed`. */
export const streamSeeds = (seed: number) => ({ vqa: seed, ocr: (seed ^ 0x5bd1e995) >>> 0, sample: (seed + 0x9e3779b9) >>> 0 });

export interface BenchOptions {
  items: number;
  seed: number;
  /** The python executable, or null to skip the reference. */
  python: string | null;
  /** How many randomly chosen items Python scores, per metric (all of them when larger than `items`). */
  pythonItems: Record<MetricName, number>;
}

/** Figures of one side (ours or Python) over the items the two sides share. */
export interface Figures {
  aggregate: number;
  mean: number;
  counts: EditCounts | null;
}

/** How long one side took over its items: wall clock and CPU time, and items per second by each. */
export interface Speed {
  items: number;
  seconds: number;
  cpuSeconds: number;
  itemsPerSecond: number;
  cpuItemsPerSecond: number;
}

const speed = (items: number, seconds: number, cpuSeconds: number): Speed => ({
  items,
  seconds,
  cpuSeconds,
  itemsPerSecond: items / seconds,
  cpuItemsPerSecond: items / cpuSeconds,
});

export interface MetricResult {
  metric: MetricName;
  /** `name@algorithmVersion` of our metric, the key of its Python reference too. */
  id: string;
  ours: Speed & { aggregate: number };
  python: (Speed & { subset: boolean }) | null;
  /** Ours / Python, items per CPU second: what the goal is judged on (robust to other load on the machine). */
  ratio: number | null;
  /** Ours / Python, items per wall-clock second. */
  wallRatio: number | null;
  /** Both sides over the items Python scored. */
  agreement: { items: number; ours: Figures; python: Figures; mismatches: string[] } | null;
}

export interface BenchResult {
  items: number;
  seed: number;
  pythonVersion: string | null;
  metrics: MetricResult[];
  ok: boolean;
}

function compare(ours: Figures, python: Figures): string[] {
  const out: string[] = [];
  const check = (label: string, a: number, b: number) => {
    if (!(Math.abs(a - b) <= TOLERANCE)) out.push(`${label}: ours ${a}, python ${b}`);
  };
  check('aggregate', ours.aggregate, python.aggregate);
  check('per-item mean', ours.mean, python.mean);
  if (ours.counts && python.counts) {
    for (const key of ['hits', 'substitutions', 'deletions', 'insertions'] as const) check(key, ours.counts[key], python.counts[key]);
  } else if (ours.counts || python.counts) out.push('edit counts: reported by one side only');
  return out;
}

/**
 * The 100,000-item benchmark: generates the pairs, times our metrics over all of them, then runs
 * the Python reference over the same pairs (or a seeded random subset of them) in the same run,
 * and compares the figures over the pairs both scored.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const seeds = streamSeeds(options.seed);
  const pairs: Record<'vqa' | 'ocr', BenchItem[]> = {
    vqa: take(vqaItems(seeds.vqa), options.items),
    ocr: take(ocrItems(seeds.ocr), options.items),
  };
  const metrics = benchMetrics();
  const timed = metrics.map((metric) => ({ metric, timing: timeOurs(metric, pairs[metric.items]) }));
  // One subset per family, so anls@2 and anls@1 are compared on the same pairs.
  const family = (name: MetricName) => METRIC_NAMES.indexOf(name);
  const subsets = metrics.map((metric) =>
    sampleIndices(options.items, options.pythonItems[metric.name], seeds.sample + family(metric.name)),
  );

  let pythonVersion: string | null = null;
  let python: Awaited<ReturnType<typeof runPython>>['results'] = {};
  if (options.python) {
    const batches: PythonBatch[] = metrics.map((metric, k) => ({
      metric: metric.id,
      items: (subsets[k] as number[]).map((i) => pairs[metric.items][i] as BenchItem),
    }));
    const run = await runPython(options.python, batches);
    pythonVersion = run.version;
    python = run.results;
  }

  const results = timed.map(({ metric, timing }, k): MetricResult => {
    const ours = { ...speed(timing.items, timing.seconds, timing.cpuSeconds), aggregate: timing.aggregate };
    const reference = python[metric.id];
    if (!reference) return { metric: metric.name, id: metric.id, ours, python: null, ratio: null, wallRatio: null, agreement: null };
    const shared = (subsets[k] as number[]).map((i) => timing.scores[i] as (typeof timing.scores)[number]);
    const oursFigures: Figures = { aggregate: aggregateOf(metric, shared), mean: itemMean(shared), counts: editCounts(shared) };
    const pythonFigures: Figures = { aggregate: reference.aggregate, mean: reference.mean, counts: reference.counts };
    const theirs = { ...speed(reference.items, reference.seconds, reference.cpuSeconds), subset: reference.items < timing.items };
    return {
      metric: metric.name,
      id: metric.id,
      ours,
      python: theirs,
      ratio: ours.cpuItemsPerSecond / theirs.cpuItemsPerSecond,
      wallRatio: ours.itemsPerSecond / theirs.itemsPerSecond,
      agreement: { items: shared.length, ours: oursFigures, python: pythonFigures, mismatches: compare(oursFigures, pythonFigures) },
    };
  });
  return {
    items: options.items,
    seed: options.seed,
    pythonVersion,
    metrics: results,
    ok: results.every((result) => !result.agreement || result.agreement.mismatches.length === 0),
  };
}
