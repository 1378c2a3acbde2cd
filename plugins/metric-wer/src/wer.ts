import { corpusErrorRateResult, defineMetric, errorRate, noReferenceError, z } from '@vhb/sdk';
import { werTokens } from './transform.js';

/** Word error rate, as `jiwer.wer(reference, prediction)` computes it (jiwer 3.x and 4.x). */
export default defineMetric({
  name: 'wer',
  version: '0.1.0',
  description: 'Word error rate: (substitutions + deletions + insertions) / reference words, as jiwer computes it',
  algorithmVersion: 1,
  direction: 'lower',
  resources: { type: 'cpu', cpus: 1 },
  options: z.object({}).strict(),
  /** Scores against the first reference only: WER has one ground truth per item. */
  score(prediction, references) {
    const reference = references[0];
    if (reference === undefined) throw noReferenceError('wer');
    return errorRate(werTokens(reference), werTokens(prediction));
  },
  /** The corpus rate, with the summed counts and the per-item mean in `details`. */
  aggregate: (scores) => corpusErrorRateResult('wer', scores),
});
