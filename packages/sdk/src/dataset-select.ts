import { z } from 'zod';
import { mulberry32 } from './aggregate/random.js';
import type { DatasetItem } from './data.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** How many items the shuffle holds at most, unless `shuffle.buffer` says otherwise. */
export const SHUFFLE_BUFFER_DEFAULT = 10_000;

/**
 * Which items of a dataset a run uses, applied in this order: `filter`, then `shuffle`, then
 * `limit`. Every step streams; only `shuffle` holds items, `shuffle.buffer` of them at most.
 */
export const datasetSelectionSchema = z.strictObject({
  /** Keep items whose fields all match: `{ doc_type: 'receipt', language: ['en', 'ru'] }` (a list is any of). */
  filter: z.record(z.string().min(1), z.union([scalar, z.array(scalar).min(1)])).optional(),
  /** Seeded shuffle buffer: the same seed and dataset give the same order on every machine. */
  shuffle: z
    .strictObject({
      seed: z.int(),
      /** Items held at once; a dataset no larger than this is shuffled uniformly. */
      buffer: z.int().positive().default(SHUFFLE_BUFFER_DEFAULT),
    })
    .optional(),
  /** Stop after this many items (after filter and shuffle). */
  limit: z.int().positive().optional(),
});
export type DatasetSelection = z.input<typeof datasetSelectionSchema>;

type Scalar = z.infer<typeof scalar>;
const OWN_FIELDS = new Set(['id', 'image', 'question']);

/** The value a filter key names: `id`, `image`, `question` are the item's own fields; `metadata.x` and any other key are metadata. */
function fieldOf(item: DatasetItem, key: string): unknown {
  if (OWN_FIELDS.has(key)) return item[key as 'id' | 'image' | 'question'];
  const name = key.startsWith('metadata.') ? key.slice('metadata.'.length) : key;
  return item.metadata[name];
}

/** A scalar equals a wanted value when their text forms are equal (`2020` matches `"2020"`); `null` matches a missing field. */
function same(value: unknown, wanted: Scalar): boolean {
  if (wanted === null) return value === null || value === undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  return String(value) === String(wanted);
}

function matches(value: unknown, wanted: Scalar | Scalar[]): boolean {
  const options = Array.isArray(wanted) ? wanted : [wanted];
  // A list-valued field (tags) matches when any of its elements does.
  const values = Array.isArray(value) ? value : [value];
  return options.some((option) => values.some((v) => same(v, option)));
}

/** A predicate for `selection.filter`; every key must match. */
export function itemFilter(filter: Record<string, Scalar | Scalar[]>): (item: DatasetItem) => boolean {
  const entries = Object.entries(filter);
  return (item) => entries.every(([key, wanted]) => matches(fieldOf(item, key), wanted));
}

/**
 * Seeded shuffle buffer (the tf.data algorithm) with mulberry32(seed) as the random source, one
 * draw per yielded item: fill the buffer with the first `size` items; for each further item draw
 * `j = floor(r * size)`, yield `buffer[j]` and put the new item in its place; at the end, while
 * `n` items remain, draw `j = floor(r * n)`, yield `buffer[j]` and move the last held item into
 * slot `j`. A dataset of at most `size` items comes out as a uniform random permutation; a larger
 * one is shuffled locally (an item moves ahead of at most `size - 1` items that preceded it).
 */
export async function* shuffleItems<T>(items: AsyncIterable<T>, seed: number, size = SHUFFLE_BUFFER_DEFAULT): AsyncGenerator<T> {
  const random = mulberry32(seed);
  const buffer: T[] = [];
  for await (const item of items) {
    if (buffer.length < size) {
      buffer.push(item);
      continue;
    }
    const j = Math.floor(random() * size);
    const out = buffer[j] as T;
    buffer[j] = item;
    yield out;
  }
  while (buffer.length > 0) {
    const j = Math.floor(random() * buffer.length);
    const out = buffer[j] as T;
    const last = buffer.pop() as T;
    if (j < buffer.length) buffer[j] = last;
    yield out;
  }
}

/**
 * Streams a dataset's items through a selection: `filter`, then `shuffle`, then `limit`. Stops
 * reading the source (closing it) as soon as `limit` items are out. Memory: O(1) without shuffle,
 * `shuffle.buffer` items with it. `selection` is parsed with {@link datasetSelectionSchema}.
 */
export async function* selectItems(items: AsyncIterable<DatasetItem>, selection: DatasetSelection = {}): AsyncGenerator<DatasetItem> {
  const { filter, shuffle, limit } = datasetSelectionSchema.parse(selection);
  let stream: AsyncIterable<DatasetItem> = items;
  if (filter && Object.keys(filter).length > 0) stream = filterItems(stream, itemFilter(filter));
  if (shuffle) stream = shuffleItems(stream, shuffle.seed, shuffle.buffer);
  if (limit === undefined) {
    yield* stream;
    return;
  }
  let count = 0;
  for await (const item of stream) {
    yield item;
    count += 1;
    if (count >= limit) return;
  }
}

async function* filterItems(items: AsyncIterable<DatasetItem>, keep: (item: DatasetItem) => boolean): AsyncGenerator<DatasetItem> {
  for await (const item of items) if (keep(item)) yield item;
}
