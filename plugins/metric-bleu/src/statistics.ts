import { ngramCounts, pySplit, Vocabulary } from '@vhb/sdk';

/**
 * `BLEU._get_closest_ref_len`: the reference length closest to the hypothesis length; of two
 * equally close, the shorter.
 */
export function closestRefLength(hypLength: number, refLengths: readonly number[]): number {
  let closestDiff = -1;
  let closestLength = -1;
  for (const refLength of refLengths) {
    const diff = Math.abs(hypLength - refLength);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLength = refLength;
    } else if (diff === closestDiff && refLength < closestLength) {
      closestLength = refLength;
    }
  }
  return closestLength;
}

/** The sufficient statistics of one segment: what corpus BLEU sums over segments. */
export interface BleuStatistics {
  /** Hypothesis length in tokens. */
  sysLen: number;
  /** The closest reference length in tokens. */
  refLen: number;
  /** Clipped n-gram matches per order (index 0: unigrams). */
  correct: number[];
  /** Hypothesis n-grams per order. */
  total: number[];
}

/**
 * `BLEU._extract_reference_info` + `_compute_segment_statistics` on preprocessed segments: each
 * hypothesis n-gram count is clipped by its largest count in any one reference.
 */
export function segmentStatistics(hypothesis: string, references: readonly string[], maxOrder: number): BleuStatistics {
  // sacrebleu's `extract_all_word_ngrams(line, 1, maxOrder)`: n-grams of the tokens of `line.split()`.
  const vocabulary = new Vocabulary<string>();
  const hypIds = vocabulary.intern(pySplit(hypothesis));
  const refIds = references.map((reference) => vocabulary.intern(pySplit(reference)));
  const base = vocabulary.base(maxOrder);

  const refOrders: Map<number | string, number>[] = Array.from({ length: maxOrder }, () => new Map());
  const refLengths: number[] = [];
  for (const ids of refIds) {
    refLengths.push(ids.length);
    ngramCounts(ids, maxOrder, base).forEach((counts, n) => {
      const merged = refOrders[n] as Map<number | string, number>;
      for (const [ngram, count] of counts) if (count > (merged.get(ngram) ?? 0)) merged.set(ngram, count);
    });
  }
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  ngramCounts(hypIds, maxOrder, base).forEach((counts, n) => {
    const ref = refOrders[n] as Map<number | string, number>;
    for (const [ngram, count] of counts) {
      total[n] = (total[n] as number) + count;
      correct[n] = (correct[n] as number) + Math.min(count, ref.get(ngram) ?? 0);
    }
  });
  return { sysLen: hypIds.length, refLen: closestRefLength(hypIds.length, refLengths), correct, total };
}
