import { ngramCounts, Vocabulary } from '@vhb/sdk';
import { computeChrf } from './compute.js';
import { charsOf, chrfWords } from './ngrams.js';

/** What chrF extracts from a segment: sacrebleu's `CHRF` parameters that shape the n-grams and the choice of reference. */
export interface ChrfExtraction {
  charOrder: number;
  wordOrder: number;
  beta: number;
  /** Keep whitespace inside character n-grams (sacrebleu `whitespace=True`). */
  whitespace: boolean;
  epsSmoothing: boolean;
}

type Counts = Map<number | string, number>;

/**
 * `CHRF._get_match_statistics`: `[hyp, ref, match]` for one order. Hypothesis n-grams count only
 * when the reference has n-grams of that order (a reference shorter than n makes hyp 0).
 */
function matchStatistics(hyp: Counts, ref: Counts): [number, number, number] {
  let match = 0;
  let hypCount = 0;
  for (const [ngram, count] of hyp) {
    hypCount += count;
    const refCount = ref.get(ngram);
    if (refCount !== undefined) match += Math.min(count, refCount);
  }
  let refCount = 0;
  for (const value of ref.values()) refCount += value;
  return [ref.size > 0 ? hypCount : 0, refCount, match];
}

/**
 * The n-gram counts of the prediction and of each reference, character orders 1..charOrder then
 * word orders 1..wordOrder (sacrebleu's `extract_all_char_ngrams` and `extract_word_ngrams`).
 */
function allNgrams(segments: readonly string[], { charOrder, wordOrder, whitespace }: ChrfExtraction): Counts[][] {
  const chars = new Vocabulary<number>();
  const charIds = segments.map((segment) => chars.intern(charsOf(segment, whitespace)));
  const charBase = chars.base(charOrder);
  const out = charIds.map((ids) => ngramCounts(ids, charOrder, charBase));
  if (wordOrder > 0) {
    const words = new Vocabulary<string>();
    const wordIds = segments.map((segment) => words.intern(chrfWords(segment)));
    const wordBase = words.base(wordOrder);
    wordIds.forEach((ids, k) => {
      out[k]?.push(...ngramCounts(ids, wordOrder, wordBase));
    });
  }
  return out;
}

/**
 * `CHRF._compute_segment_statistics` on preprocessed segments: the flat `[hyp, ref, match]` counts
 * against each reference, keeping the reference with the highest chrF (the first of equals).
 */
export function segmentStatistics(hypothesis: string, references: readonly string[], params: ChrfExtraction): number[] {
  const [hyp = [], ...refs] = allNgrams([hypothesis, ...references], params);
  let best: number[] = [];
  let bestScore = -1.0;
  for (const ref of refs) {
    const stats: number[] = [];
    hyp.forEach((counts, k) => {
      stats.push(...matchStatistics(counts, ref[k] as Counts));
    });
    const score = computeChrf(stats, params);
    if (score > bestScore) {
      bestScore = score;
      best = stats;
    }
  }
  return best;
}
