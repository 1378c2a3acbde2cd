import { type AggregateResult, defineMetric, type ItemScore, noReferenceError, sumDetails, z } from '@vhb/sdk';
import { type BleuResult, computeBleu } from './compute.js';
import { missingStatistics } from './errors.js';
import { type BleuStatistics, segmentStatistics } from './statistics.js';
import { preprocess } from './tokenizer.js';

/** sacrebleu on CPython ≤ 3.11 (the default), and on CPython ≥ 3.12, whose `sum()` compensates. */
const DIALECTS = ['sacrebleu', 'sacrebleu-py312'] as const;

const options = z
  .object({
    /** Which sacrebleu to reproduce to the last bit: `sacrebleu` (CPython ≤ 3.11) or `sacrebleu-py312`. */
    dialect: z.enum(DIALECTS).default('sacrebleu'),
    /** Lower-case hypothesis and references first (`str.lower()`); BLEU is case-sensitive by default. */
    lowercase: z.boolean().default(false),
    /** sacrebleu's tokenizer: `13a` (mteval-v13a, the default), `char`, or `none`. */
    tokenize: z.enum(['13a', 'char', 'none']).default('13a'),
    /** sacrebleu's smoothing: `exp` (the default), `floor`, `add-k` or `none`. */
    smoothMethod: z.enum(['exp', 'floor', 'add-k', 'none']).default('exp'),
    /** The value of `floor` (default 0.1) or `add-k` (default 1); ignored by `exp` and `none`. */
    smoothValue: z.number().min(0).optional(),
    /** The largest n-gram order. */
    maxNgramOrder: z.number().int().min(1).default(4),
    /** Corpus score only: average over the orders the corpus has n-grams of (sacrebleu `use_effective_order`). */
    effectiveOrder: z.boolean().default(false),
  })
  .strict();

export type BleuOptions = z.infer<typeof options>;

/** Flattens a segment's statistics into an item's details: sysLen, refLen, correct1..N, total1..N. */
function toDetails({ sysLen, refLen, correct, total }: BleuStatistics): Record<string, number> {
  const details: Record<string, number> = { sysLen, refLen };
  correct.forEach((count, n) => {
    details[`correct${n + 1}`] = count;
  });
  total.forEach((count, n) => {
    details[`total${n + 1}`] = count;
  });
  return details;
}

/** Sums the items' statistics, as sacrebleu's `sum_of_lists` does over segments. */
function sumStatistics(scores: readonly ItemScore[], maxNgramOrder: number): BleuStatistics {
  const keys = ['sysLen', 'refLen'];
  for (let n = 1; n <= maxNgramOrder; n++) keys.push(`correct${n}`);
  for (let n = 1; n <= maxNgramOrder; n++) keys.push(`total${n}`);
  const sums = sumDetails(scores, keys, missingStatistics);
  return {
    sysLen: sums[0] as number,
    refLen: sums[1] as number,
    correct: sums.slice(2, 2 + maxNgramOrder),
    total: sums.slice(2 + maxNgramOrder),
  };
}

/** Corpus BLEU of the scored items, from their summed statistics, with sacrebleu's breakdown. */
export function corpusBleu(scores: readonly ItemScore[], opts: BleuOptions): BleuResult {
  const { dialect, smoothMethod, smoothValue, maxNgramOrder, effectiveOrder } = opts;
  const { sysLen, refLen, correct, total } = sumStatistics(scores, maxNgramOrder);
  const compensatedSum = dialect === 'sacrebleu-py312';
  return computeBleu(correct, total, sysLen, refLen, { smoothMethod, smoothValue, effectiveOrder, maxNgramOrder, compensatedSum });
}

/** Corpus BLEU, as `sacrebleu.corpus_bleu(hypotheses, references)` computes it by default (sacrebleu 2.x). */
export default defineMetric({
  name: 'bleu',
  version: '0.1.0',
  description: 'BLEU on the 0–100 scale as sacrebleu computes it: 13a tokenizer, n-grams up to 4, exp smoothing, corpus-level',
  algorithmVersion: 1,
  direction: 'higher',
  resources: { type: 'cpu', cpus: 1 },
  dialects: DIALECTS,
  options,
  /**
   * The item's sentence BLEU, as `sacrebleu.sentence_bleu(prediction, references)` (effective order
   * on), with the segment's n-gram statistics in `details` for the corpus aggregate.
   */
  score(prediction, references, { dialect, lowercase, tokenize, smoothMethod, smoothValue, maxNgramOrder }) {
    if (references.length === 0) throw noReferenceError('bleu');
    const stats = segmentStatistics(
      preprocess(prediction, tokenize, lowercase),
      references.map((reference) => preprocess(reference, tokenize, lowercase)),
      maxNgramOrder,
    );
    const { score } = computeBleu(stats.correct, stats.total, stats.sysLen, stats.refLen, {
      smoothMethod,
      smoothValue,
      effectiveOrder: true,
      maxNgramOrder,
      compensatedSum: dialect === 'sacrebleu-py312',
    });
    return { score, details: toDetails(stats) };
  },
  /** Corpus BLEU from the summed statistics (not the mean of sentence BLEUs), with sacrebleu's breakdown. */
  aggregate(scores, opts): AggregateResult {
    const { score, ...details } = corpusBleu(scores, opts);
    return { score, details };
  },
});
