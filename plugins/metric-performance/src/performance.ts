import { type AggregateResult, defineMetric, type ItemScore, mean, percentiles, z } from '@vhb/sdk';
import { badTiming, missingTiming, noTiming } from './errors.js';

/** The timing fields an item's details copy, when present. */
const TIMING_FIELDS = ['latencyMs', 'ttftMs', 'tpotMs', 'promptTokens', 'completionTokens', 'peakMemoryMb'] as const;

/** The fields the aggregate summarises. */
export const SUMMARISED_FIELDS = ['latencyMs', 'ttftMs', 'tpotMs', 'tokensPerSecond', 'peakMemoryMb'] as const;

/** Mean and percentiles of one field over the items that have it. */
export interface FieldStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  n: number;
}

/** numpy's mean (over the values in item order) and linear percentiles; null for no values. */
export function fieldStats(values: ArrayLike<number>): FieldStats | null {
  if (values.length === 0) return null;
  const [p50, p90, p99] = percentiles(values, [50, 90, 99]) as [number, number, number];
  return { mean: mean(values) as number, p50, p90, p99, n: values.length };
}

/** Latency, TTFT, TPOT, tokens per second and peak memory, from the timing adapters record with each answer. */
export default defineMetric({
  name: 'performance',
  version: '0.1.0',
  description: 'p50/p90/p99/mean of latency, TTFT, TPOT, tokens per second and peak memory, from the timing adapters record',
  algorithmVersion: 1,
  direction: 'lower',
  resources: { type: 'cpu', cpus: 1 },
  options: z.object({}).strict(),
  /** Reads the item's timing; the prediction and references are ignored. The score is the latency in ms. */
  score(_prediction, _references, _options, item): ItemScore {
    const timing = item?.timing as Record<string, unknown> | null | undefined;
    if (timing === null || timing === undefined) throw noTiming(item?.id);
    const details: Record<string, number> = {};
    for (const field of TIMING_FIELDS) {
      const value = typeof timing === 'object' ? timing[field] : undefined;
      if ((value === null || value === undefined) && field !== 'latencyMs') continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw badTiming(item?.id, field, value);
      details[field] = value;
    }
    const latencyMs = details.latencyMs as number;
    const tokens = details.completionTokens;
    if (tokens !== undefined && latencyMs > 0) details.tokensPerSecond = tokens / (latencyMs / 1000);
    return { score: latencyMs, details };
  },
  /** The figure is the median latency; details summarise each field over the items that have it. */
  aggregate(scores): AggregateResult {
    // One typed column per field, filled in item order; the bootstrap calls this once per resample.
    const columns = SUMMARISED_FIELDS.map(() => ({ values: new Float64Array(scores.length), n: 0 }));
    scores.forEach(({ details }, i) => {
      if (typeof details?.latencyMs !== 'number') throw missingTiming(i, details);
      SUMMARISED_FIELDS.forEach((field, f) => {
        const value = details[field];
        const column = columns[f] as { values: Float64Array; n: number };
        if (typeof value === 'number') column.values[column.n++] = value;
      });
    });
    const details = Object.fromEntries(
      SUMMARISED_FIELDS.map((field, f) => {
        const { values, n } = columns[f] as { values: Float64Array; n: number };
        return [field, fieldStats(values.subarray(0, n))];
      }),
    );
    return { score: (details.latencyMs as FieldStats | null)?.p50 ?? Number.NaN, details };
  },
});
