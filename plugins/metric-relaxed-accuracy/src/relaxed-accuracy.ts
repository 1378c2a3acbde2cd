import { defineMetric, noReferenceError, z } from '@vhb/sdk';
import { DIALECTS, relaxedAccuracy } from './relaxed.js';

const options = z
  .object({
    /** Whose computation to reproduce: lmms-eval (default, the prediction as it is) or VLMEvalKit (the prediction trimmed). */
    dialect: z.enum(DIALECTS).default('lmms-eval'),
    /** Largest relative difference |prediction − target| / |target| a number may have and still count (ChartQA: 5%). */
    tolerance: z.number().min(0).default(0.05),
  })
  .strict();

/** ChartQA relaxed accuracy: numbers within 5% of the target count as correct, other answers must match exactly (ignoring case). */
export default defineMetric({
  name: 'relaxed-accuracy',
  version: '0.1.0',
  description:
    'ChartQA relaxed accuracy: a number within 5% of the target counts as correct, any other answer must match it (ignoring case)',
  algorithmVersion: 1,
  direction: 'higher',
  dialects: DIALECTS,
  resources: { type: 'cpu', cpus: 1 },
  options,
  /** Scores one answer 1 or 0, the best over its references; the run's figure is the mean (the host's default). */
  score(prediction, references, { dialect, tolerance }) {
    // An item without references is refused (VHB_E_METRIC_NO_REFERENCE).
    if (references.length === 0) throw noReferenceError('relaxed-accuracy');
    return { score: relaxedAccuracy(prediction, references, dialect, tolerance) };
  },
});
