/**
 * mulberry32 (Tommy Ettinger's generator, as bryc's public-domain JavaScript transcription writes
 * it): a 32-bit state, one multiply-xorshift round per call; fast, and the same sequence on every
 * platform. Returns a function giving floats in [0, 1): each the next uint32 divided by 2^32.
 */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed from a base seed and names: FNV-1a over the names' UTF-16 code units, starting
 * from the offset basis xor the base seed. Each group and metric draws its own stream, so adding
 * a metric or a group never moves another one's interval.
 */
export function deriveSeed(seed: number, ...names: readonly string[]): number {
  let hash = 0x811c9dc5 ^ (seed | 0);
  for (const name of names) {
    for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xff, 0x01000193); // a separator: ['ab', 'c'] ≠ ['a', 'bc']
  }
  return hash >>> 0;
}
