import { defineMetric, noReferenceError, z } from '@vhb/sdk';
import { DIALECTS, vqaAccuracy } from './accuracy.js';

const options = z
  .object({
    /** Whose computation to reproduce: the official VQA script (default), lmms-eval, its TextVQA task, or VLMEvalKit. */
    dialect: z.enum(DIALECTS).default('official'),
  })
  .strict();

/** VQAv2 soft accuracy: min(#matching human answers / 3, 1), averaged over the leave-one-out subsets. */
export default defineMetric({
  name: 'vqa-accuracy',
  version: '0.1.0',
  description: 'VQAv2 soft accuracy, min(#matching humans / 3, 1) over the leave-one-out subsets, with the official answer normalisation',
  algorithmVersion: 1,
  direction: 'higher',
  dialects: DIALECTS,
  resources: { type: 'cpu', cpus: 1 },
  options,
  /** Scores one question; the run's figure is the mean over questions (the host's default). */
  score(prediction, references, { dialect }) {
    // An item without answers is refused (VHB_E_METRIC_NO_REFERENCE): every peer's code fails on it.
    if (references.length === 0) throw noReferenceError('vqa-accuracy');
    const { score, matches } = vqaAccuracy(prediction, references, dialect);
    return { score, details: { matches, references: references.length } };
  },
});
