import { defineMetric, noReferenceError, squadNormalize, z } from '@vhb/sdk';
import { goldAnswers, SQUAD_DIALECTS, type SquadDialect } from './dialects.js';

/** The options, once validated. */
export interface ExactMatchOptions {
  dialect: SquadDialect;
}

/** Exact match after SQuAD answer normalisation: 1 when any reference matches, else 0. */
export default defineMetric<ExactMatchOptions>({
  name: 'exact-match',
  version: '0.1.0',
  description: 'Exact match with any reference after SQuAD answer normalisation (case, punctuation, articles, spaces)',
  algorithmVersion: 1,
  direction: 'higher',
  dialects: SQUAD_DIALECTS,
  resources: { type: 'cpu', cpus: 1 },
  options: z
    .object({
      /** Which SQuAD script to reproduce; they differ only on answers that normalise to nothing. */
      dialect: z.enum(SQUAD_DIALECTS).default('squad-v1.1'),
    })
    .strict(),
  /** The run's figure is the mean of these 0/1 scores (the host's default): accuracy. */
  score(prediction, references, { dialect }) {
    if (references.length === 0) throw noReferenceError('exact-match');
    const answer = squadNormalize(prediction);
    return { score: goldAnswers(references, dialect).some((reference) => squadNormalize(reference) === answer) ? 1 : 0 };
  },
});
