import { defineMetric, type MetricPlugin, noReferenceError, z } from '@vhb/sdk';
import { ANLS_DIALECTS, type AnlsDenominator, type AnlsDialect, anlsScore } from './similarity.js';

const options = z
  .object({
    /** Similarities below this score 0 (the DocVQA τ); a similarity equal to it is kept. */
    threshold: z.number().min(0).max(1).default(0.5),
    /** Whose habits to reproduce: `lmms-eval` trims the prediction first, `vlmevalkit` does not. */
    dialect: z.enum(ANLS_DIALECTS).default('lmms-eval'),
  })
  .strict();

/** The options, once validated. */
export interface AnlsOptions {
  threshold: number;
  dialect: AnlsDialect;
}

/** One algorithm version of the metric; the versions differ only in what the distance is divided by. */
function anlsVersion(algorithmVersion: number, denominator: AnlsDenominator, description: string): MetricPlugin<AnlsOptions> {
  return defineMetric<AnlsOptions>({
    name: 'anls',
    version: '0.1.0',
    description,
    algorithmVersion,
    direction: 'higher',
    dialects: ANLS_DIALECTS,
    resources: { type: 'cpu', cpus: 1 },
    options,
    /** Scores against every reference and keeps the best; the run's figure is the mean (the host's default). */
    score(prediction, references, { threshold, dialect }) {
      if (references.length === 0) throw noReferenceError('anls');
      return { score: anlsScore(prediction, references, threshold, { denominator, dialect }) };
    },
  });
}

/** Version 1: the length is the raw strings' upper-cased length, as lmms-eval, VLMEvalKit and the DocVQA scripts compute it. */
const anlsV1 = anlsVersion(
  1,
  'raw',
  'Average Normalised Levenshtein Similarity as lmms-eval and VLMEvalKit compute it (length of the raw upper-cased strings)',
);

/** Average Normalised Levenshtein Similarity (Biten et al., 2019); version 1 stays available as `anls@1`. */
export default {
  ...anlsVersion(
    2,
    'normalised',
    'Average Normalised Levenshtein Similarity to the closest reference answer (Biten et al. 2019, DocVQA), distance over the longer normalised string',
  ),
  previousVersions: [anlsV1],
} satisfies MetricPlugin<AnlsOptions>;
