import { npSum } from '@vhb/sdk';
import { missingParts, unknownLabel } from './errors.js';

/** The column a prediction outside the `labels` option is counted in. */
export const OTHER = '(other)';

/** One item's labels, as `score()` puts them in its part. */
export interface LabelPair {
  reference: string;
  prediction: string;
}

/** One row of scikit-learn's classification_report. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Items whose reference is this class. */
  support: number;
}

/** What the aggregate returns in `details`. */
export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: Record<string, ClassScores>;
  /** Rows are references, columns predictions, both in the order of `labels`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/** Orders strings by code point, as Python's `sorted()` does (JavaScript's default sort compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/**
 * scikit-learn's `classification_report(y_true, y_pred, labels, zero_division=0)` and
 * `confusion_matrix`, from (reference, prediction) pairs. Without `labels` the classes are every
 * label seen on either side, sorted by code point (`sklearn.utils.multiclass.unique_labels`); with
 * them, exactly those, in that order, and predictions outside them fill an extra `(other)` column.
 */
export function classificationReport(pairs: readonly LabelPair[], labels?: readonly string[]): ClassificationReport {
  const n = pairs.length;
  // Labels are interned (in the order of `labels`, else of appearance), then renumbered in class order.
  const ids = new Map<string, number>((labels ?? []).map((label, i) => [label, i]));
  const intern = (label: string) => {
    let id = ids.get(label);
    if (id === undefined) {
      id = ids.size;
      ids.set(label, id);
    }
    return id;
  };
  const otherColumn = labels?.length ?? -1;
  const references = new Int32Array(n);
  const predictions = new Int32Array(n);
  let correct = 0;
  let other = false;
  for (let i = 0; i < n; i++) {
    const { reference, prediction } = pairs[i] as LabelPair;
    if (labels && !ids.has(reference)) throw unknownLabel(reference, labels);
    const row = intern(reference);
    const column = labels ? (ids.get(prediction) ?? otherColumn) : intern(prediction);
    if (column === otherColumn) other = true;
    if (row === column) correct++;
    references[i] = row;
    predictions[i] = column;
  }
  const classes = labels ? [...labels] : [...ids.keys()].sort(compareCodePoints);
  const k = classes.length;
  const order = new Int32Array(k + 1); // interned id → class index; the identity with `labels`
  for (let i = 0; i < k; i++) order[ids.get(classes[i] as string) as number] = i;
  order[k] = k; // the (other) column
  const size = other ? k + 1 : k;
  const counts = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    const at = (order[references[i] as number] as number) * size + (order[predictions[i] as number] as number);
    counts[at] = (counts[at] as number) + 1;
  }
  const matrix = Array.from({ length: size }, (_, r) => Array.from(counts.subarray(r * size, (r + 1) * size)));
  const divide = (a: number, b: number) => (b === 0 ? 0 : a / b); // zero_division=0
  const supports = classes.map((_, i) => (matrix[i] as number[]).reduce((a, b) => a + b, 0));
  const perClass = classes.map((label, i): [string, ClassScores] => {
    const tp = (matrix[i] as number[])[i] as number;
    const support = supports[i] as number;
    let guessed = 0;
    for (const row of matrix) guessed += row[i] as number;
    // sklearn computes F1 as 2·tp / (support + predicted), i.e. 2·tp / (2·tp + fp + fn).
    return [label, { precision: divide(tp, guessed), recall: divide(tp, support), f1: divide(2 * tp, support + guessed), support }];
  });
  const f1s = perClass.map(([, scores]) => scores.f1);
  const totalSupport = supports.reduce((a, b) => a + b, 0);
  return {
    accuracy: divide(correct, n),
    macroF1: divide(npSum(f1s), f1s.length),
    weightedF1: divide(npSum(f1s.map((f1, i) => f1 * (supports[i] as number))), totalSupport),
    perClass: Object.fromEntries(perClass),
    confusion: { labels: other ? [...classes, OTHER] : classes, matrix },
  };
}

/** The (reference, prediction) pair each item score carries in its first part. */
export function pairsOf(scores: readonly { parts?: readonly { labels: Record<string, string> }[] }[]): LabelPair[] {
  const pairs = new Array<LabelPair>(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const labels = scores[i]?.parts?.[0]?.labels;
    if (typeof labels?.reference !== 'string' || typeof labels.prediction !== 'string') throw missingParts(i, scores[i]);
    pairs[i] = labels as unknown as LabelPair;
  }
  return pairs;
}
