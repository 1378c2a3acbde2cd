/**
 * A seeded PRNG: mulberry32 (Tommy Ettinger's public-domain 32-bit generator). Tiny, fast, the same
 * on every platform, which is all a reproducible benchmark needs; not for cryptography.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/**
 * `count` distinct indices out of [0, total), drawn uniformly (a partial Fisher–Yates shuffle), in
 * ascending order so a subset keeps the items' order.
 */
export function sampleIndices(total: number, count: number, seed: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  const random = new Random(seed);
  const pool = new Int32Array(total);
  for (let i = 0; i < total; i++) pool[i] = i;
  for (let i = 0; i < count; i++) {
    const j = random.int(i, total - 1);
    const swap = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = swap;
  }
  return Array.from(pool.subarray(0, count)).sort((a, b) => a - b);
}
