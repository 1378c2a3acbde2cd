import { mean, type PredictionRecord, percentile, percentiles, scoreItems, summariseMetrics, type Timing } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import performance, { type FieldStats } from '../src/index.js';

const timing = (fields: Partial<Timing>): Timing => ({
  latencyMs: 0,
  ttftMs: null,
  tpotMs: null,
  promptTokens: null,
  completionTokens: null,
  peakMemoryMb: null,
  ...fields,
});
const aggregate = (timings: Timing[]) =>
  performance.aggregate?.(
    timings.map((t, i) => performance.score('', [], {}, { id: String(i), metadata: {}, timing: t, raw: null })),
    {},
  ) as unknown as { score: number; details: Record<string, FieldStats | null> };

describe('performance aggregate', () => {
  it('is the median latency, with mean / p50 / p90 / p99 / n of each field (worked example)', () => {
    const { score, details } = aggregate([
      timing({ latencyMs: 100, ttftMs: 50, completionTokens: 10, peakMemoryMb: 512 }),
      timing({ latencyMs: 200, completionTokens: 20, peakMemoryMb: 1024 }),
      timing({ latencyMs: 400, ttftMs: 100, completionTokens: 20 }),
      timing({ latencyMs: 800, ttftMs: 150, completionTokens: 40 }),
    ]);
    // numpy's linear percentile: index (n − 1)·p/100 between the closest ranks.
    // Latency [100, 200, 400, 800]: p50 at 1.5 → 300; p90 at 2.7 → 400 + 0.7·400 = 680;
    // p99 at 2.97 → 400 + 0.97·400 = 788; mean 1500/4 = 375. In floating point the index 3·0.9 is
    // 2.7000000000000002, and np.percentile prints 680.0000000000001 and 787.9999999999999: so do we.
    expect(score).toBe(300);
    expect(details.latencyMs).toEqual({ mean: 375, p50: 300, p90: 680.0000000000001, p99: 787.9999999999999, n: 4 });
    // TTFT [50, 100, 150] (one item has none): p50 at 1 → 100; p90 at 1.8 → 140; p99 at 1.98 → 149.
    expect(details.ttftMs).toEqual({ mean: 100, p50: 100, p90: expect.closeTo(140, 10), p99: expect.closeTo(149, 10), n: 3 });
    // Tokens per second: 10/0.1, 20/0.2, 20/0.4, 40/0.8 = 100, 100, 50, 50 → sorted [50, 50, 100, 100]:
    // p50 at 1.5 → 75; p90 and p99 between 100 and 100 → 100; mean 75.
    expect(details.tokensPerSecond).toEqual({ mean: 75, p50: 75, p90: 100, p99: 100, n: 4 });
    // Peak memory [512, 1024]: p50 → 768; p90 → 512 + 0.9·512 = 972.8; p99 → 1018.88.
    expect(details.peakMemoryMb).toEqual({ mean: 768, p50: 768, p90: expect.closeTo(972.8, 10), p99: expect.closeTo(1018.88, 10), n: 2 });
    // No item has a TPOT.
    expect(details.tpotMs).toBeNull();
    expect(Object.keys(details)).toEqual(['latencyMs', 'ttftMs', 'tpotMs', 'tokensPerSecond', 'peakMemoryMb']);
  });

  it('summarises one item as that item', () => {
    const { score, details } = aggregate([timing({ latencyMs: 42 })]);
    expect(score).toBe(42);
    expect(details.latencyMs).toEqual({ mean: 42, p50: 42, p90: 42, p99: 42, n: 1 });
  });

  it("interpolates as numpy's _lerp does, so percentiles equal numpy's to the last bit", () => {
    // From t = 0.5 on numpy computes b − (b − a)·(1 − t): np.percentile([0.1, 99.9], 50) is 50.0,
    // where a + (b − a)·t would give 50.00000000000001. Below 0.5 it is a + (b − a)·t.
    expect(percentile([0.1, 99.9], 50)).toBe(50);
    // np.percentile([0.1, 0.3], 90) is 0.27999999999999997 (a + (b − a)·t gives 0.28).
    expect(percentile([0.1, 0.3], 90)).toBe(0.27999999999999997);
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
  });

  it('selects percentiles of unsorted values without sorting them in place', () => {
    // [800, 100, 400, 200] sorted is [100, 200, 400, 800]: p50 300, p90 680.0000000000001 (as above), p0 100, p100 800.
    const values = [800, 100, 400, 200];
    expect(percentiles(values, [50, 90, 0, 100])).toEqual([300, 680.0000000000001, 100, 800]);
    expect(values).toEqual([800, 100, 400, 200]);
    // Many ties, and a descending run: [5, 4, 4, 4, 3, 1, 1] sorted is [1, 1, 3, 4, 4, 4, 5]; p50 at 3 → 4,
    // p90 at 5.4 → 4 + 0.4·1 = 4.4, p99 at 5.94 → 5 − 0.06·1 = 4.94.
    const [p50, p90, p99] = percentiles([5, 4, 4, 4, 3, 1, 1], [50, 90, 99]);
    expect(p50).toBe(4);
    expect(p90).toBeCloseTo(4.4, 12);
    expect(p99).toBeCloseTo(4.94, 12);
  });

  it("takes numpy's pairwise mean", () => {
    // np.mean([0.1] * 10) is 0.1: numpy sums ((0.1+0.1)+(0.1+0.1)) + ((0.1+0.1)+(0.1+0.1)) = 0.8, then
    // + 0.1 + 0.1 = 1.0; a left-to-right sum gives 0.9999999999999999 and a mean of 0.09999999999999999.
    expect(mean(new Array(10).fill(0.1))).toBe(0.1);
  });

  it('refuses item scores without their latency', () => {
    expect(() => performance.aggregate?.([{ score: 1 }], {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
  });

  it('reads the timing the host passes with each item; an item without timing fails alone', () => {
    const record = (id: string, t: Timing | null): PredictionRecord => ({
      id,
      prediction: 'x',
      raw: 'x',
      references: ['x'],
      metadata: {},
      prompt: 'p',
      timing: t,
      error: null,
    });
    const uses = [{ plugin: performance, options: {}, id: 'performance@1' }];
    const table = scoreItems([record('a', timing({ latencyMs: 100 })), record('b', timing({ latencyMs: 300 })), record('c', null)], uses);
    expect(table.get('c')?.get('performance@1')).toMatchObject({ error: { code: 'VHB_E_METRIC_NO_TIMING' } });
    // p50 of [100, 300] at index 0.5 → 200.
    expect(summariseMetrics(table, uses)[0]).toMatchObject({ id: 'performance@1', direction: 'lower', score: 200, n: 2 });
  });
});
