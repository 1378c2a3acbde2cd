import { corpusErrorRateResult, defineMetric, errorRate, noReferenceError, pyStrip, z } from '@vhb/sdk';

/** Character error rate, as `jiwer.cer(reference, prediction)` computes it (jiwer 3.x and 4.x). */
export default defineMetric({
  name: 'cer',
  version: '0.1.0',
  description: 'Character error rate: (substitutions + deletions + insertions) / reference characters, as jiwer computes it',
  algorithmVersion: 1,
  direction: 'lower',
  resources: { type: 'cpu', cpus: 1 },
  options: z.object({}).strict(),
  /** Scores against the first reference only: CER has one ground truth per item. */
  score(prediction, references) {
    const reference = references[0];
    if (reference === undefined) throw noReferenceError('cer');
    // jiwer's cer_default: strip, then one token per code point (see cerTokens); strings align by code point.
    return errorRate(pyStrip(reference), pyStrip(prediction));
  },
  /** The corpus rate, with the summed counts and the per-item mean in `details`. */
  aggregate: (scores) => corpusErrorRateResult('cer', scores),
});
