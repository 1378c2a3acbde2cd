import { codePoints, levenshtein, pyCaseFold, pySplit } from '@vhb/sdk';

/** How string values are compared: Python's `" ".join(s.split()).casefold()` (trim, collapse whitespace, case-fold). */
function normaliseText(text: string): string {
  return pyCaseFold(pySplit(text).join(' '));
}

/** A JSON number, as the grammar writes one (no sign but `-`, no hex, no `_`, no spaces inside). */
const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The number a string holds (surrounding whitespace allowed), or NaN. */
function numberIn(text: string): number {
  const trimmed = text.trim();
  return jsonNumber.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * Whether a predicted field value counts as the reference's: strings after trimming, whitespace
 * collapsing and case folding; numbers numerically (a string holding a number equals that number:
 * "12.50" = 12.5); anything else (booleans, null, empty containers) only when identical.
 */
export function fieldEquals(reference: unknown, prediction: unknown): boolean {
  if (typeof reference === 'string' && typeof prediction === 'string') return normaliseText(reference) === normaliseText(prediction);
  if (typeof reference === 'number' && typeof prediction === 'number') return reference === prediction;
  if (typeof reference === 'number' && typeof prediction === 'string') return numberIn(prediction) === reference;
  if (typeof reference === 'string' && typeof prediction === 'number') return numberIn(reference) === prediction;
  return JSON.stringify(reference) === JSON.stringify(prediction);
}

/** The text ANLS compares: a string as it is, anything else as JSON (`12.5`, `true`, `null`, `[]`). */
export function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * ANLS of one field, as lmms-eval's `anls()` computes it for one answer: the Levenshtein distance
 * between `" ".join(s.strip().lower().split())` of both, divided by the longer of
 * `len(s.upper())` of the raw strings; the similarity 1 − that is kept when ≥ 0.5 (a similarity
 * of exactly 0.5 is kept, as lmms-eval's `< threshold` test keeps it), else 0; both empty give 1.
 */
export function fieldAnls(reference: string, prediction: string): number {
  const length = Math.max(codePoints(reference.toUpperCase()).length, codePoints(prediction.toUpperCase()).length);
  if (length === 0) return 1;
  const normalise = (text: string) => pySplit(text.toLowerCase()).join(' ');
  const similarity = 1 - levenshtein(normalise(reference), normalise(prediction)) / length;
  return similarity < 0.5 ? 0 : similarity;
}
