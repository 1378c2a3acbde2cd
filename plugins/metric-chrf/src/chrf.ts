import { defineMetric, noReferenceError, sumDetails, z } from '@vhb/sdk';
import { computeChrf } from './compute.js';
import { missingStatistics } from './errors.js';
import { segmentStatistics } from './statistics.js';

const options = z
  .object({
    /** Largest character n-gram order. */
    charOrder: z.number().int().min(1).default(6),
    /** Largest word n-gram order: 0 for chrF, 2 for chrF++. */
    wordOrder: z.number().int().min(0).default(0),
    /** Recall is β times as important as precision. */
    beta: z.number().positive().default(2),
    /** Lower-case hypothesis and references first (`str.lower()`); case-sensitive by default. */
    lowercase: z.boolean().default(false),
    /** Keep whitespace inside character n-grams; off by default (whitespace is removed). */
    whitespace: z.boolean().default(false),
    /** chrF++.py/NLTK/Moses epsilon smoothing instead of sacrebleu's default effective-order average. */
    epsSmoothing: z.boolean().default(false),
  })
  .strict();

export type ChrfOptions = z.infer<typeof options>;

/** The detail keys of each order, in sacrebleu's statistics order: char orders, then word orders. */
function detailKeys(charOrder: number, wordOrder: number): string[] {
  const keys: string[] = [];
  for (let n = 1; n <= charOrder; n++) keys.push(`char${n}Hyp`, `char${n}Ref`, `char${n}Match`);
  for (let n = 1; n <= wordOrder; n++) keys.push(`word${n}Hyp`, `word${n}Ref`, `word${n}Match`);
  return keys;
}

/** chrF, as `sacrebleu.corpus_chrf(hypotheses, references)` computes it by default (sacrebleu 2.x). */
export default defineMetric({
  name: 'chrf',
  version: '0.1.0',
  description: 'chrF (character 6-grams, β = 2) on the 0–100 scale as sacrebleu computes it, corpus-level',
  algorithmVersion: 1,
  direction: 'higher',
  resources: { type: 'cpu', cpus: 1 },
  options,
  /** The item's sentence chrF against its best reference, with that reference's n-gram counts in `details`. */
  score(prediction, references, opts) {
    if (references.length === 0) throw noReferenceError('chrf');
    const lower = (text: string) => (opts.lowercase ? text.toLowerCase() : text);
    const stats = segmentStatistics(lower(prediction), references.map(lower), opts);
    const keys = detailKeys(opts.charOrder, opts.wordOrder);
    return { score: computeChrf(stats, opts), details: Object.fromEntries(keys.map((key, k) => [key, stats[k] as number])) };
  },
  /** Corpus chrF from the summed statistics, not the mean of sentence scores. */
  aggregate(scores, opts) {
    // Sums the items' statistics, as sacrebleu's `sum_of_lists` does over segments.
    return computeChrf(sumDetails(scores, detailKeys(opts.charOrder, opts.wordOrder), missingStatistics), opts);
  },
});
