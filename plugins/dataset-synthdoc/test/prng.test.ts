import { describe, expect, it } from 'vitest';
import { mulberry32, Rng } from '../src/index.js';

describe('mulberry32', () => {
  it('matches the published C generator', () => {
    // Expected values from an independent Python transcription of the reference C code
    // (z = state += 0x6D2B79F5; z = (z ^ z >> 15) * (z | 1); z ^= z + (z ^ z >> 7) * (z | 61);
    // return (z ^ z >> 14) / 2^32), all arithmetic mod 2^32.
    const one = mulberry32(1);
    expect([one(), one(), one()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const seed = mulberry32(1729);
    expect([seed(), seed(), seed()]).toEqual([0.0948562272824347, 0.060699442634359, 0.568301378050819]);
  });

  it('restarts the same stream for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 100; i++) expect(a()).toBe(b());
  });
});

describe('Rng', () => {
  it('int(min, max) stays in range and reaches both ends', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const value = rng.int(3, 6);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(6);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('int maps the first draw of seed 1 as floor(0.627... * 10) = 6', () => {
    // First draw of seed 1 is 0.6270739405881613 (see above): 0 + floor(0.627 * 10) = 6.
    expect(new Rng(1).int(0, 9)).toBe(6);
  });

  it('shuffle returns a permutation and leaves its input alone', () => {
    const input = ['a', 'b', 'c', 'd', 'e', 'f'];
    const shuffled = new Rng(3).shuffle(input);
    expect([...shuffled].sort()).toEqual(input);
    expect(input).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('sample draws distinct items', () => {
    const picked = new Rng(11).sample([1, 2, 3, 4, 5], 3);
    expect(picked).toHaveLength(3);
    expect(new Set(picked).size).toBe(3);
  });

  it('pick refuses an empty list', () => {
    expect(() => new Rng(1).pick([])).toThrow(/empty/);
  });
});
