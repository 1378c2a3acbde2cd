import { pyStrip } from '@vhb/sdk';
import { pyFloat } from './py-float.js';

/** The peers whose relaxed accuracy the metric reproduces; the first is the default. */
export const DIALECTS = ['lmms-eval', 'vlmevalkit'] as const;

export type Dialect = (typeof DIALECTS)[number];

/**
 * `_to_float` of the peers: a text ending in "%" loses its trailing "%" signs and is divided by 100
 * ("12%" → 0.12); anything else is parsed as Python's float() parses it; null when it is no number.
 */
export function toNumber(text: string): number | null {
  if (!text.endsWith('%')) return pyFloat(text);
  const value = pyFloat(text.replace(/%+$/, ''));
  return value === null ? null : value / 100;
}

/**
 * `relaxed_correctness(target, prediction, max_relative_change)` as lmms-eval (tasks/chartqa/utils.py)
 * and VLMEvalKit (vlmeval/dataset/utils/vqa_eval.py) define it, after pix2struct: when the prediction
 * is a number and the target a non-zero number, |prediction − target| / |target| ≤ tolerance;
 * otherwise the two texts must be equal after lower-casing (nothing else: no trimming here).
 * A target of 0 (or one that is no number) falls back to the text comparison, so "0" ≠ "0.0".
 * NaN and infinite targets never pass the numeric test.
 */
export function relaxedCorrectness(target: string, prediction: string, tolerance = 0.05): boolean {
  const predicted = toNumber(prediction);
  const expected = toNumber(target);
  if (predicted !== null && expected !== null && expected !== 0) {
    return Math.abs(predicted - expected) / Math.abs(expected) <= tolerance;
  }
  return prediction.toLowerCase() === target.toLowerCase();
}

/**
 * ChartQA relaxed accuracy of one answer: 1 when the prediction is relaxed-correct against any
 * reference, else 0. VLMEvalKit trims the prediction first (Python's `strip()`); lmms-eval does not.
 */
export function relaxedAccuracy(
  prediction: string,
  references: readonly string[],
  dialect: Dialect = 'lmms-eval',
  tolerance = 0.05,
): number {
  const answer = dialect === 'vlmevalkit' ? pyStrip(prediction) : prediction;
  return references.some((target) => relaxedCorrectness(target, answer, tolerance)) ? 1 : 0;
}
