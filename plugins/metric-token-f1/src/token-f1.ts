import { defineMetric, noReferenceError, z } from '@vhb/sdk';
import { SQUAD_DIALECTS, type SquadDialect } from './dialects.js';
import { maxTokenF1 } from './f1.js';

/** The options, once validated. */
export interface TokenF1Options {
  dialect: SquadDialect;
}

/** SQuAD token F1 after answer normalisation, the best over the references. */
export default defineMetric<TokenF1Options>({
  name: 'token-f1',
  version: '0.1.0',
  description: 'Token-overlap F1 with the best reference after SQuAD answer normalisation (case, punctuation, articles, spaces)',
  algorithmVersion: 1,
  direction: 'higher',
  dialects: SQUAD_DIALECTS,
  resources: { type: 'cpu', cpus: 1 },
  options: z
    .object({
      /** Which SQuAD script to reproduce; they differ only on answers that normalise to nothing. */
      dialect: z.enum(SQUAD_DIALECTS).default('squad-v2'),
    })
    .strict(),
  /** The run's figure is the mean of the item F1s (the host's default), as SQuAD reports it (there ×100). */
  score(prediction, references, { dialect }) {
    if (references.length === 0) throw noReferenceError('token-f1');
    return { score: maxTokenF1(prediction, references, dialect) };
  },
});
