import { type DatasetItem, VhbError, z } from '@vhb/sdk';

/** One manifest line. Fields besides these are kept and land in the item's metadata. */
export const manifestRowSchema = z.looseObject({
  id: z.string().min(1),
  /** Image path relative to the dataset root. */
  image: z.string().min(1).optional(),
  question: z.string().optional(),
  /** Acceptable answers: ground-truth text, answers, or the label. */
  references: z.array(z.string()),
  /** Free fields; merged with the row's other unknown top-level fields. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const KNOWN = new Set(['id', 'image', 'question', 'references', 'metadata']);

/** Where a row came from, for error messages. */
export interface RowPlace {
  manifest: string;
  line: number;
}

/** A short, printable form of an offending value. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function valueAt(row: unknown, path: readonly PropertyKey[]): unknown {
  let value = row;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function rowError(place: RowPlace, problem: string, hint: string): VhbError {
  return new VhbError('VHB_E_DATASET_ROW', `${place.manifest} line ${place.line}: ${problem}`, { hint });
}

/** Parses one non-blank manifest line into an item whose `image` is still relative. */
export function parseRow(line: string, place: RowPlace): DatasetItem {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (cause) {
    throw new VhbError('VHB_E_DATASET_ROW', `${place.manifest} line ${place.line}: not valid JSON (${(cause as Error).message})`, {
      hint: 'each line of the manifest must be one JSON object',
      cause,
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw rowError(place, `expected a JSON object, got ${show(json)}`, 'each line of the manifest must be one JSON object');
  }
  const parsed = manifestRowSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const field = issue.path.map(String).join('.');
    throw rowError(
      place,
      `field "${field}" is invalid: ${issue.message} (got ${show(valueAt(json, issue.path))})`,
      'a row needs "id" (non-empty string) and "references" (array of strings); "image" and "question" are strings',
    );
  }
  const { id, image, question, references, metadata = {} } = parsed.data;
  const merged: Record<string, unknown> = { ...metadata };
  for (const [key, value] of Object.entries(json)) {
    if (KNOWN.has(key)) continue;
    if (key in metadata && JSON.stringify(metadata[key]) !== JSON.stringify(value)) {
      throw rowError(
        place,
        `field "${key}" is given both at the top level (${show(value)}) and in metadata (${show(metadata[key])})`,
        'keep one of the two',
      );
    }
    merged[key] = value;
  }
  const item: DatasetItem = { id, references, metadata: merged };
  if (image !== undefined) item.image = image;
  if (question !== undefined) item.question = question;
  return item;
}
