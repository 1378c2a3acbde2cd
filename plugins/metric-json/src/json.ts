import { type AggregateResult, defineMetric, type ItemScore, itemScoreSchema, noReferenceError, type ScorePart, z } from '@vhb/sdk';
import { fieldAnls, fieldEquals, fieldText } from './compare.js';
import { badReference, missingCounts } from './errors.js';
import { flattenJson } from './flatten.js';
import { parseJsonAnswer } from './parse.js';
import { type JsonSchema, schemaProblems, validateJson } from './schema.js';

const options = z
  .object({
    /** A JSON Schema the answer must satisfy; without it, items carry no `valid`. */
    schema: z.union([z.record(z.string(), z.unknown()), z.boolean()]).optional(),
  })
  .strict()
  .superRefine(({ schema }, ctx) => {
    if (schema === undefined) return;
    for (const problem of schemaProblems(schema)) ctx.addIssue({ code: 'custom', path: ['schema'], message: problem });
  });

export type JsonMetricOptions = z.infer<typeof options>;

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The expected fields: the first reference, which must hold a JSON object. */
function expectedFields(reference: string): Map<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(reference);
  } catch (error) {
    throw badReference(reference, (error as Error).message);
  }
  if (!isObject(value))
    throw badReference(reference, `it is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}`);
  return flattenJson(value);
}

/** F1 from counts: 1 when there was nothing to find and nothing was found. */
const f1 = (tp: number, fp: number, fn: number) => (tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn));

/** JSON answers: structural fidelity (parses, fits the schema), field-level F1, and ANLS per field. */
export default defineMetric({
  name: 'json',
  version: '0.1.0',
  description: 'JSON answers: structural fidelity (parses, fits the schema), field-level precision/recall/F1 and per-field ANLS',
  algorithmVersion: 1,
  direction: 'higher',
  resources: { type: 'cpu', cpus: 1 },
  options,
  output: itemScoreSchema.extend({
    parts: z.array(
      z.object({ labels: z.object({ field_name: z.string() }), score: z.number(), details: z.object({ correct: z.number() }) }),
    ),
  }),
  /** Field-level F1 of the prediction against the first reference; one part per expected field, by `field_name`. */
  score(prediction, references, opts): ItemScore {
    const reference = references[0];
    if (reference === undefined) throw noReferenceError('json');
    const expected = expectedFields(reference);
    const parsed = parseJsonAnswer(prediction);
    const found = parsed ? flattenJson(parsed.value) : new Map<string, unknown>();
    let tp = 0;
    const parts: ScorePart[] = [];
    for (const [path, value] of expected) {
      const has = found.has(path);
      const correct = has && fieldEquals(value, found.get(path)) ? 1 : 0;
      tp += correct;
      const score = has ? fieldAnls(fieldText(value), fieldText(found.get(path))) : 0;
      parts.push({ labels: { field_name: path }, score, details: { correct } });
    }
    const fp = found.size - tp;
    const fn = expected.size - tp;
    const details: Record<string, number> = { parsed: parsed ? 1 : 0 };
    if (opts.schema !== undefined) details.valid = parsed && validateJson(parsed.value, opts.schema as JsonSchema).length === 0 ? 1 : 0;
    Object.assign(details, { tp, fp, fn });
    return { score: parsed ? f1(tp, fp, fn) : 0, details, parts };
  },
  /** Micro F1 over all items' fields; the details add structural fidelity, schema validity and mean field ANLS. */
  aggregate(scores): AggregateResult {
    let [tp, fp, fn, parsed, valid, checked, anls, fields] = [0, 0, 0, 0, 0, 0, 0, 0];
    scores.forEach(({ details, parts }, i) => {
      const counts = [details?.parsed, details?.tp, details?.fp, details?.fn];
      if (!counts.every((n) => typeof n === 'number')) throw missingCounts(i, details);
      parsed += details?.parsed as number;
      tp += details?.tp as number;
      fp += details?.fp as number;
      fn += details?.fn as number;
      if (typeof details?.valid === 'number') {
        valid += details.valid;
        checked++;
      }
      for (const part of parts ?? []) {
        anls += part.score;
        fields++;
      }
    });
    const ratio = (a: number, b: number, empty: number) => (b === 0 ? empty : a / b);
    const nothing = tp + fp + fn === 0 ? 1 : 0;
    const score = f1(tp, fp, fn);
    return {
      score,
      details: {
        structuralFidelity: ratio(parsed, scores.length, 0),
        schemaValid: checked === 0 ? null : valid / checked,
        precision: ratio(tp, tp + fp, nothing),
        recall: ratio(tp, tp + fn, nothing),
        f1: score,
        fieldAnls: fields === 0 ? null : anls / fields,
        tp,
        fp,
        fn,
      },
    };
  },
});
