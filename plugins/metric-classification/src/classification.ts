import { defineMetric, itemScoreSchema, noReferenceError, z } from '@vhb/sdk';
import { unknownLabel } from './errors.js';
import { normaliseLabel } from './fold.js';
import { classificationReport, OTHER, pairsOf } from './report.js';

const options = z
  .object({
    /** Compare labels after Python's `strip()` and `casefold()`. */
    normalize: z.boolean().default(true),
    /** The label set; predictions outside it are wrong and counted as `(other)`. */
    labels: z.array(z.string()).min(1).optional(),
  })
  .strict()
  .superRefine(({ normalize, labels }, ctx) => {
    const seen = new Set<string>();
    for (const [i, label] of (labels ?? []).entries()) {
      const key = normalize ? normaliseLabel(label) : label;
      if (key === OTHER)
        ctx.addIssue({ code: 'custom', path: ['labels', i], message: `"${OTHER}" is reserved for predictions outside the labels` });
      else if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['labels', i], message: `${JSON.stringify(label)} repeats an earlier label` });
      seen.add(key);
    }
  });

export type ClassificationOptions = z.infer<typeof options>;

/** Normalised label → the label's own spelling, per options object (a run validates its options once). */
const lookups = new WeakMap<ClassificationOptions, Map<string, string>>();

function lookup(opts: ClassificationOptions, labels: readonly string[]): Map<string, string> {
  let map = lookups.get(opts);
  if (!map) {
    map = new Map(labels.map((label) => [opts.normalize ? normaliseLabel(label) : label, label]));
    lookups.set(opts, map);
  }
  return map;
}

/** Accuracy, macro and weighted F1, per-class precision/recall/F1 and the confusion matrix, as scikit-learn reports them. */
export default defineMetric({
  name: 'classification',
  version: '0.1.0',
  description: 'Accuracy with macro and weighted F1, per-class precision/recall and a confusion matrix (scikit-learn definitions)',
  algorithmVersion: 1,
  direction: 'higher',
  resources: { type: 'cpu', cpus: 1 },
  options,
  output: itemScoreSchema.extend({
    parts: z.array(z.object({ labels: z.object({ reference: z.string(), prediction: z.string() }), score: z.number() })).length(1),
  }),
  /** 1 when the prediction is the first reference's label, else 0; the part carries both labels for the aggregate. */
  score(prediction, references, opts) {
    const first = references[0];
    if (first === undefined) throw noReferenceError('classification');
    let reference = opts.normalize ? normaliseLabel(first) : first;
    let predicted = opts.normalize ? normaliseLabel(prediction) : prediction;
    if (opts.labels) {
      const map = lookup(opts, opts.labels);
      const known = map.get(reference);
      if (known === undefined) throw unknownLabel(first, opts.labels);
      reference = known;
      predicted = map.get(predicted) ?? OTHER;
    }
    const score = reference === predicted ? 1 : 0;
    return { score, parts: [{ labels: { reference, prediction: predicted }, score }] };
  },
  /** scikit-learn's classification_report (zero_division=0); the figure is the accuracy. */
  aggregate(scores, opts) {
    const details = classificationReport(pairsOf(scores), opts.labels);
    return { score: details.accuracy, details: { ...details } };
  },
});
