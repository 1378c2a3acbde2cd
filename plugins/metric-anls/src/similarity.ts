import { editDistance, pyStrip } from '@vhb/sdk';
import { type Codes, normaliseInto, upperLength } from './normalise.js';

/** The peers whose ANLS the metric reproduces; the first is the default. */
export const ANLS_DIALECTS = ['lmms-eval', 'vlmevalkit'] as const;

/** `lmms-eval` trims the prediction before scoring it (its generation path does); `vlmevalkit` scores it as it is. */
export type AnlsDialect = (typeof ANLS_DIALECTS)[number];

/**
 * What the length an edit distance is divided by is measured on:
 * - `raw` (algorithm version 1): `max(len(answer.upper()), len(prediction.upper()))` of the strings
 *   before normalisation, as lmms-eval, VLMEvalKit and the DocVQA/InfographicVQA scripts compute it;
 * - `normalised` (algorithm version 2): the longer of the two normalised strings the distance is
 *   taken on, as the formula of Biten et al. (2019) reads.
 */
export type AnlsDenominator = 'raw' | 'normalised';

/** How one answer is scored: the denominator rule (the algorithm version) and the peer's habits (the dialect). */
export interface AnlsRule {
  denominator: AnlsDenominator;
  dialect: AnlsDialect;
}

/** The rule of the current algorithm version (2), lmms-eval dialect. */
const DEFAULT_RULE: AnlsRule = { denominator: 'normalised', dialect: 'lmms-eval' };

const predictionCodes: Codes = { buffer: new Int32Array(256), length: 0 };
const answerCodes: Codes = { buffer: new Int32Array(256), length: 0 };

/**
 * NL of one answer, the prediction already normalised into {@link predictionCodes};
 * `predictionLength` is `len(prediction.upper())` for the raw denominator, unused otherwise.
 */
function distanceTo(answer: string, denominator: AnlsDenominator, predictionLength: number): number {
  normaliseInto(answer, answerCodes);
  const length =
    denominator === 'raw' ? Math.max(upperLength(answer), predictionLength) : Math.max(answerCodes.length, predictionCodes.length);
  return length === 0 ? 0 : editDistance(answerCodes.buffer, predictionCodes.buffer, answerCodes.length, predictionCodes.length) / length;
}

/**
 * Normalised Levenshtein distance of a prediction to one answer, in [0, 1] for version 2 (it may
 * exceed 1 for version 1, whose length is the raw one: the caller's threshold then zeroes it).
 * The distance is always taken on the normalised strings; `rule` says what it is divided by and
 * whether the prediction is trimmed first. Both empty: 0.
 */
export function normalisedDistance(prediction: string, answer: string, rule: AnlsRule = DEFAULT_RULE): number {
  const detected = rule.dialect === 'lmms-eval' ? pyStrip(prediction) : prediction;
  normaliseInto(detected, predictionCodes);
  return distanceTo(answer, rule.denominator, rule.denominator === 'raw' ? upperLength(detected) : 0);
}

/**
 * ANLS of one question: `1 − min(distance over the answers)`, or 0 when that similarity is below
 * the threshold. A similarity equal to the threshold is kept, as every peer's code keeps it.
 */
export function anlsScore(prediction: string, answers: readonly string[], threshold: number, rule: AnlsRule = DEFAULT_RULE): number {
  const detected = rule.dialect === 'lmms-eval' ? pyStrip(prediction) : prediction;
  normaliseInto(detected, predictionCodes);
  const predictionLength = rule.denominator === 'raw' ? upperLength(detected) : 0;
  // An answer whose distance cannot beat the best so far, or cannot reach the threshold, is not
  // computed: the distance is at least the difference in length, so `lower` bounds NL from below.
  // (The margin keeps a similarity exactly at the threshold computed, never skipped by rounding.)
  const hopeless = 1 - threshold + 1e-9;
  let best = Number.POSITIVE_INFINITY;
  for (const answer of answers) {
    normaliseInto(answer, answerCodes);
    const length =
      rule.denominator === 'raw' ? Math.max(upperLength(answer), predictionLength) : Math.max(answerCodes.length, predictionCodes.length);
    if (length === 0) {
      best = 0;
      break;
    }
    const lower = Math.abs(answerCodes.length - predictionCodes.length) / length;
    if (lower >= best || lower > hopeless) continue;
    const nl = editDistance(answerCodes.buffer, predictionCodes.buffer, answerCodes.length, predictionCodes.length) / length;
    if (nl < best) best = nl;
    if (best === 0) break;
  }
  const similarity = 1 - best;
  return similarity < threshold ? 0 : similarity;
}
