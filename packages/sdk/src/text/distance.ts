import { codePointsInto } from './code-points.js';

/** The code points of the two strings {@link levenshtein} compares, in buffers reused from one call to the next. */
let bufferA = new Int32Array(256);
let bufferB = new Int32Array(256);

/**
 * Levenshtein distance (unit costs) between two strings, counted over code points as Python's
 * `len()` counts them: `levenshtein('😀', '😁') === 1`. No normalisation: compare NFC with NFC.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (bufferA.length < a.length) bufferA = new Int32Array(a.length * 2);
  if (bufferB.length < b.length) bufferB = new Int32Array(b.length * 2);
  return editDistance(bufferA, bufferB, codePointsInto(a, bufferA), codePointsInto(b, bufferB));
}

/** Start and end of what is left of `a` and `b` once their common prefix and suffix are cut. */
export interface Trimmed {
  prefix: number;
  endA: number;
  endB: number;
}

/** Cuts the common prefix and suffix, which never change the distance nor a minimal alignment's cost. */
export function trimAffix(a: Int32Array, b: Int32Array): Trimmed {
  let prefix = 0;
  const shortest = Math.min(a.length, b.length);
  while (prefix < shortest && a[prefix] === b[prefix]) prefix++;
  let endA = a.length;
  let endB = b.length;
  while (endA > prefix && endB > prefix && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { prefix, endA, endB };
}

/**
 * Levenshtein distance (unit costs) between two sequences of integer symbols (code points or
 * interned tokens): the first `aLength` of `a` and the first `bLength` of `b`, so callers can pass
 * buffers they reuse. A pair with a side of at most 32 symbols once the common prefix and suffix are
 * cut (the usual answer) takes the one-word bit-parallel kernel and allocates nothing; longer pairs
 * take the blocked one. (A plain DP, measured for pairs of up to 4096 cells, was slower than blocks.)
 */
export function editDistance(a: Int32Array, b: Int32Array, aLength = a.length, bLength = b.length): number {
  let start = 0;
  let n = aLength;
  let m = bLength;
  while (start < n && start < m && a[start] === b[start]) start++;
  while (n > start && m > start && a[n - 1] === b[m - 1]) {
    n--;
    m--;
  }
  const rows = n - start;
  const columns = m - start;
  if (rows === 0) return columns;
  if (columns === 0) return rows;
  if (rows <= 32) return myers32(a, start, rows, b, start, columns);
  if (columns <= 32) return myers32(b, start, columns, a, start, rows);
  // Bit-parallel in the shorter sequence: ceil(short/32) words per symbol of the longer one.
  const x = a.subarray(start, n);
  const y = b.subarray(start, m);
  return rows <= columns ? myers(x, y) : myers(y, x);
}

// The match masks of a pattern of at most 32 symbols: an open-addressing table whose slots are
// valid only when stamped with the current generation, so clearing it costs nothing.
const TABLE_BITS = 7;
const slotSymbols = new Int32Array(1 << TABLE_BITS);
const slotMasks = new Int32Array(1 << TABLE_BITS);
const slotStamps = new Int32Array(1 << TABLE_BITS);
let generation = 0;

function slotOf(symbol: number): number {
  let slot = Math.imul(symbol, 0x9e3779b1) >>> (32 - TABLE_BITS);
  while (slotStamps[slot] === generation && slotSymbols[slot] !== symbol) slot = (slot + 1) & ((1 << TABLE_BITS) - 1);
  return slot;
}

/**
 * Myers' bit-vector algorithm (Hyyrö's formulation) for a pattern of 1 to 32 symbols,
 * `pattern[from..from+length)` against `text[textFrom..textFrom+textLength)`: the vertical deltas of
 * one DP column in one 32-bit word. JS bitwise operators wrap to int32, which is the arithmetic we need.
 */
function myers32(pattern: Int32Array, from: number, length: number, text: Int32Array, textFrom: number, textLength: number): number {
  generation = (generation + 1) | 0;
  if (generation === 0) {
    slotStamps.fill(0);
    generation = 1;
  }
  for (let i = 0; i < length; i++) {
    const slot = slotOf(pattern[from + i] as number);
    if (slotStamps[slot] !== generation) {
      slotStamps[slot] = generation;
      slotSymbols[slot] = pattern[from + i] as number;
      slotMasks[slot] = 0;
    }
    slotMasks[slot] = (slotMasks[slot] as number) | (1 << i);
  }
  const last = 1 << (length - 1);
  let score = length;
  let pv = -1;
  let mv = 0;
  for (let j = 0; j < textLength; j++) {
    const slot = slotOf(text[textFrom + j] as number);
    const eq = slotStamps[slot] === generation ? (slotMasks[slot] as number) : 0;
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    else if (mh & last) score--;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

/** Match masks of the pattern: for each distinct symbol, one bit per pattern position, in 32-bit words. */
function patternMasks(pattern: Int32Array, text: Int32Array, words: number) {
  const index = new Map<number, number>();
  for (const symbol of pattern) if (!index.has(symbol)) index.set(symbol, index.size);
  // Row `index.size` stays all zeros: the mask of every text symbol absent from the pattern.
  const masks = new Int32Array((index.size + 1) * words);
  for (let i = 0; i < pattern.length; i++) {
    const at = (index.get(pattern[i] as number) as number) * words + (i >>> 5);
    masks[at] = (masks[at] as number) | (1 << (i & 31));
  }
  const rows = new Int32Array(text.length);
  for (let j = 0; j < text.length; j++) rows[j] = (index.get(text[j] as number) ?? index.size) * words;
  return { masks, rows };
}

/** Myers' bit-vector algorithm with blocks as in edlib, for a pattern over 32 symbols: ceil(m/32) words per column. */
function myers(pattern: Int32Array, text: Int32Array): number {
  const words = (pattern.length + 31) >>> 5;
  const { masks, rows } = patternMasks(pattern, text, words);
  return pattern.length + blocks(pattern, text, words, masks, rows).scoreChange;
}

/** The block loop of {@link myers}: the last column's vertical deltas, and how much D[m][j] moved. */
function blocks(pattern: Int32Array, text: Int32Array, words: number, masks: Int32Array, rows: Int32Array) {
  const pvs = new Int32Array(words).fill(-1);
  const mvs = new Int32Array(words);
  const high = 1 << 31;
  const last = 1 << ((pattern.length - 1) & 31);
  let scoreChange = 0;
  for (let j = 0; j < text.length; j++) {
    const row = rows[j] as number;
    // The first DP row grows by one per text symbol: a +1 carry into the top block.
    let hin = 1;
    for (let w = 0; w < words; w++) {
      let eq = masks[row + w] as number;
      const pv = pvs[w] as number;
      const mv = mvs[w] as number;
      const xv = eq | mv;
      if (hin < 0) eq |= 1;
      const xh = (((eq & pv) + pv) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      const bit = w === words - 1 ? last : high;
      const hout = ph & bit ? 1 : mh & bit ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (hin < 0) mh |= 1;
      else if (hin > 0) ph |= 1;
      pvs[w] = mh | ~(xv | ph);
      mvs[w] = ph & xv;
      hin = hout;
    }
    scoreChange += hin;
  }
  return { pvs, mvs, scoreChange };
}

/**
 * The last DP column: `out[i]` is the distance of `pattern[:i]` to the whole `text`, for every i.
 * Bit-parallel, as {@link myers}: the Hirschberg split of long alignments needs whole columns.
 */
export function lastColumn(pattern: Int32Array, text: Int32Array): Int32Array {
  const n = pattern.length;
  const out = new Int32Array(n + 1);
  out[0] = text.length;
  if (n === 0) return out;
  const words = (n + 31) >>> 5;
  const { masks, rows } = patternMasks(pattern, text, words);
  const { pvs, mvs } = blocks(pattern, text, words, masks, rows);
  for (let i = 1; i <= n; i++) {
    const word = (i - 1) >>> 5;
    const bit = 1 << ((i - 1) & 31);
    out[i] = (out[i - 1] as number) + ((pvs[word] as number) & bit ? 1 : 0) - ((mvs[word] as number) & bit ? 1 : 0);
  }
  return out;
}
