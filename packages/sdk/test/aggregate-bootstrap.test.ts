import { describe, expect, it } from 'vitest';
import { bootstrap } from '../src/aggregate/bootstrap.js';
import { BOOTSTRAP_DEFAULTS, bootstrapCi, deriveSeed, mulberry32 } from '../src/index.js';

/** A statistic that ignores the draw and returns 0, 1, 2, ...: its bootstrap distribution is known exactly. */
const counter = () => {
  let b = 0;
  return () => b++;
};

const meanOf = (scores: readonly number[]) => (draw: Uint32Array) => {
  let sum = 0;
  for (const i of draw) sum += scores[i] as number;
  return sum / draw.length;
};

describe('mulberry32', () => {
  it('gives the reference sequence', () => {
    // Expected values from an independent Python transcription of bryc's mulberry32 (uint32
    // arithmetic masked by hand: t = imul(s ^ s>>>15, s|1); t ^= t + imul(t ^ t>>>7, t|61); (t ^ t>>>14) / 2^32).
    const zero = mulberry32(0);
    expect([zero(), zero(), zero()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const fortyTwo = mulberry32(42);
    expect([fortyTwo(), fortyTwo(), fortyTwo()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    // A negative seed is its 32-bit two's complement: -1 is 0xffffffff.
    const minusOne = mulberry32(-1);
    expect([minusOne(), minusOne()]).toEqual([0.8964226141106337, 0.189478256739676]);
  });

  it('stays in [0, 1)', () => {
    const random = mulberry32(7);
    let low = 1;
    let high = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      low = Math.min(low, x);
      high = Math.max(high, x);
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
  });
});

describe('deriveSeed', () => {
  it('is FNV-1a over the names from the offset basis xor the seed, with a separator after each name', () => {
    // From the same Python transcription: fnv(0, 'same@2') and the two splits of 'abc'.
    expect(deriveSeed(0, 'same@2')).toBe(2014144546);
    expect(deriveSeed(0, 'ab', 'c')).toBe(2216952449);
    expect(deriveSeed(0, 'a', 'bc')).toBe(401736619);
    expect(deriveSeed(1, 'same@2')).not.toBe(deriveSeed(0, 'same@2'));
  });
});

describe('bootstrapCi', () => {
  it('takes the 2.5th and 97.5th percentiles, interpolated like numpy', () => {
    // Resampled values 0..999: rank 0.025 × 999 = 24.975 → 24.975; 0.975 × 999 = 974.025 → 974.025.
    const [low, high] = bootstrapCi(5, counter()) as [number, number];
    expect(low).toBeCloseTo(24.975, 9);
    expect(high).toBeCloseTo(974.025, 9);
  });

  it('honours resamples and level', () => {
    // 11 resamples → 0..10: 2.5th at rank 0.25, 97.5th at rank 9.75.
    expect(bootstrapCi(5, counter(), { resamples: 11 })).toEqual([0.25, 9.75]);
    // 90%: 5th at 0.05 × 999 = 49.95, 95th at 0.95 × 999 = 949.05.
    const [low, high] = bootstrapCi(5, counter(), { level: 0.9 }) as [number, number];
    expect(low).toBeCloseTo(49.95, 9);
    expect(high).toBeCloseTo(949.05, 9);
    expect(BOOTSTRAP_DEFAULTS).toEqual({ resamples: 1000, seed: 0, level: 0.95 });
  });

  it('draws n indices in [0, n) per resample, uniformly', () => {
    const counts = new Array(4).fill(0);
    bootstrapCi(4, (draw) => {
      expect(draw).toHaveLength(4);
      for (const i of draw) counts[i] += 1;
      return 0;
    });
    // 1000 resamples × 4 draws: each index expected 1000 times, sd √(4000 · ¼ · ¾) ≈ 27.
    expect(counts.reduce((a, b) => a + b)).toBe(4000);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('is reproducible: same scores and seed, same interval; another seed, another draw', () => {
    const scores = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const a = bootstrapCi(50, meanOf(scores), { seed: 3 });
    expect(bootstrapCi(50, meanOf(scores), { seed: 3 })).toEqual(a);
    expect(bootstrapCi(50, meanOf(scores), { seed: 4 })).not.toEqual(a);
  });

  it('is [s, s] when every score is s', () => {
    expect(bootstrapCi(3, meanOf([0.5, 0.5, 0.5]))).toEqual([0.5, 0.5]);
  });

  it('covers both ends for two items 0 and 1', () => {
    // Resample means: 0 (both draws item 0, p = ¼), ½ (p = ½), 1 (p = ¼). A quarter of 1000 resamples is
    // far above the 25 needed to put each end percentile on 0 and 1.
    expect(bootstrapCi(2, meanOf([0, 1]))).toEqual([0, 1]);
  });

  it('matches the normal approximation for a large sample', () => {
    // 1000 items, 500 ones: standard error √(0.25 / 1000) = 0.01581, so the 95% interval is about
    // 0.5 ± 1.96 × 0.01581 = [0.469, 0.531]. The percentile's own Monte Carlo error at B = 1000 is about 0.0014.
    const scores = Array.from({ length: 1000 }, (_, i) => i % 2);
    const [low, high] = bootstrapCi(1000, meanOf(scores)) as [number, number];
    expect(Math.abs(low - 0.469)).toBeLessThan(0.006);
    expect(Math.abs(high - 0.531)).toBeLessThan(0.006);
  });

  it('is null below two items, when the statistic throws, or when no resample is finite', () => {
    expect(bootstrapCi(1, () => 1)).toBeNull();
    expect(bootstrapCi(0, () => 1)).toBeNull();
    expect(
      bootstrapCi(3, () => {
        throw new Error('no');
      }),
    ).toBeNull();
    expect(bootstrapCi(3, () => Number.NaN)).toBeNull();
  });

  it('leaves out resamples whose statistic is not finite', () => {
    // Every other resample gives `bad`, the others 0, 1, 2, ...: 500 values 0..499 remain,
    // so the percentiles sit at ranks 0.025 × 499 = 12.475 and 0.975 × 499 = 486.525.
    const everyOther = (bad: number) => {
      let b = 0;
      return () => (b++ % 2 === 0 ? bad : (b - 2) / 2);
    };
    const values = bootstrap(3, everyOther(Number.NaN), 1000, 0);
    expect(values).toHaveLength(500);
    expect([values[0], values[499]]).toEqual([0, 499]);
    const [low, high] = bootstrapCi(3, everyOther(Number.POSITIVE_INFINITY)) as [number, number];
    expect(low).toBeCloseTo(12.475, 9);
    expect(high).toBeCloseTo(486.525, 9);
  });
});
