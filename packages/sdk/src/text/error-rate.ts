import { VhbError } from '../errors.js';
import type { AggregateResult, ItemScore } from '../plugins.js';
import { mean } from '../stats.js';
import { type AlignCounts, alignCounts } from './align.js';

function missingDetails(metric: string, details: unknown): VhbError {
  return new VhbError(
    'VHB_E_METRIC_DETAILS',
    `${metric} aggregate needs edit counts in each item's details, got ${JSON.stringify(details)}`,
    {
      hint: `pass the item scores exactly as ${metric}'s score() returned them`,
    },
  );
}

/**
 * One item's error rate (CER over characters — pass strings —, WER over words — pass token lists), (S + D + I) / N with N = H + S + D the reference length, and the counts
 * in `details` for the corpus aggregate. An empty reference scores the number of insertions, as
 * jiwer 4 does (so an empty reference and an empty prediction score 0).
 */
export function errorRate(ref: readonly string[] | string, hyp: readonly string[] | string): ItemScore {
  const counts: AlignCounts = alignCounts(ref, hyp);
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  const refLength = counts.hits + counts.substitutions + counts.deletions;
  return { score: refLength === 0 ? errors : errors / refLength, details: { ...counts, refLength } };
}

/**
 * Corpus-level rate: all errors over all reference tokens, as jiwer computes it for a list of
 * sentences. Not the mean of the item rates: a long page weighs more than a one-word label.
 * When every reference is empty, the total number of errors.
 */
export function corpusErrorRate(metric: string, scores: readonly ItemScore[]): number {
  let errors = 0;
  let length = 0;
  for (const { details } of scores) {
    const { substitutions, deletions, insertions, refLength } = details ?? {};
    if (substitutions === undefined || deletions === undefined || insertions === undefined || refLength === undefined) {
      throw missingDetails(metric, details);
    }
    errors += substitutions + deletions + insertions;
    length += refLength;
  }
  return length === 0 ? errors : errors / length;
}

/** What {@link corpusErrorRateResult} returns besides the corpus rate. */
export interface ErrorRateTotals {
  /** The mean of the per-item rates. NOT the corpus rate: each item weighs the same, whatever its length. Null for no items. */
  itemMean: number | null;
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Reference tokens over all items: hits + substitutions + deletions. */
  refLength: number;
}

/**
 * A CER/WER metric's whole `aggregate`: the corpus rate {@link corpusErrorRate} as the figure, and
 * in `details` the summed counts and, clearly labelled, the per-item mean (`itemMean`).
 */
export function corpusErrorRateResult(metric: string, scores: readonly ItemScore[]): AggregateResult & { details: ErrorRateTotals } {
  // Checks every item's counts first (VHB_E_METRIC_DETAILS), so the sums below read numbers.
  const score = corpusErrorRate(metric, scores);
  const totals = { hits: 0, substitutions: 0, deletions: 0, insertions: 0, refLength: 0 };
  for (const { details } of scores) {
    const { substitutions, deletions, insertions, refLength } = details as Record<
      'substitutions' | 'deletions' | 'insertions' | 'refLength',
      number
    >;
    totals.hits += refLength - substitutions - deletions;
    totals.substitutions += substitutions;
    totals.deletions += deletions;
    totals.insertions += insertions;
    totals.refLength += refLength;
  }
  return { score, details: { itemMean: mean(scores.map((s) => s.score)), ...totals } };
}
