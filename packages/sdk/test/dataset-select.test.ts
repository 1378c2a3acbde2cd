import { describe, expect, it } from 'vitest';
import type { DatasetItem } from '../src/index.js';
import { datasetSelectionSchema, mulberry32, selectItems } from '../src/index.js';

function item(id: string, metadata: Record<string, unknown> = {}, extra: Partial<DatasetItem> = {}): DatasetItem {
  return { id, references: [], metadata, ...extra };
}

async function* from<T>(values: T[], seen?: { pulled: number }): AsyncGenerator<T> {
  for (const value of values) {
    if (seen) seen.pulled += 1;
    yield value;
  }
}

async function ids(items: AsyncIterable<DatasetItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const one of items) out.push(one.id);
  return out;
}

const letters = (text: string) => [...text].map((id) => item(id));

describe('selectItems: filter', () => {
  const items = [
    item('r1', { doc_type: 'receipt', language: 'en', year: '2020' }),
    item('r2', { doc_type: 'receipt', language: 'ru', year: 2021 }),
    item('f1', { doc_type: 'form', language: 'en', tags: ['scan', 'blurry'] }, { question: 'Total?' }),
    item('l1', { doc_type: 'letter', language: 'de', reviewed: true, id: 'shadow' }),
  ];

  it('keeps items whose metadata matches every key', async () => {
    expect(await ids(selectItems(from(items), { filter: { doc_type: 'receipt', language: 'en' } }))).toEqual(['r1']);
  });

  it('treats a list as any of', async () => {
    expect(await ids(selectItems(from(items), { filter: { language: ['en', 'de'] } }))).toEqual(['r1', 'f1', 'l1']);
  });

  it('compares text forms, so a YAML number matches a CSV string and a boolean matches', async () => {
    expect(await ids(selectItems(from(items), { filter: { year: 2020 } }))).toEqual(['r1']);
    expect(await ids(selectItems(from(items), { filter: { year: '2021' } }))).toEqual(['r2']);
    expect(await ids(selectItems(from(items), { filter: { reviewed: true } }))).toEqual(['l1']);
  });

  it('reads id, image and question from the item itself, and metadata.<key> from metadata', async () => {
    expect(await ids(selectItems(from(items), { filter: { id: ['r2', 'l1'] } }))).toEqual(['r2', 'l1']);
    expect(await ids(selectItems(from(items), { filter: { question: 'Total?' } }))).toEqual(['f1']);
    expect(await ids(selectItems(from(items), { filter: { 'metadata.id': 'shadow' } }))).toEqual(['l1']);
  });

  it('matches a list-valued field when any element matches, and null matches a missing field', async () => {
    expect(await ids(selectItems(from(items), { filter: { tags: 'blurry' } }))).toEqual(['f1']);
    expect(await ids(selectItems(from(items), { filter: { tags: null } }))).toEqual(['r1', 'r2', 'l1']);
  });

  it('never matches an object against a scalar', async () => {
    const nested = [item('n', { box: { x: 1 } })];
    expect(await ids(selectItems(from(nested), { filter: { box: '[object Object]' } }))).toEqual([]);
  });
});

describe('selectItems: limit', () => {
  it('yields the first n items and stops reading the source', async () => {
    const seen = { pulled: 0 };
    expect(await ids(selectItems(from(letters('abcdefgh'), seen), { limit: 3 }))).toEqual(['a', 'b', 'c']);
    expect(seen.pulled).toBe(3);
  });

  it('counts after the filter', async () => {
    const items = [item('a', { k: 1 }), item('b', { k: 2 }), item('c', { k: 1 }), item('d', { k: 1 })];
    expect(await ids(selectItems(from(items), { filter: { k: 1 }, limit: 2 }))).toEqual(['a', 'c']);
  });

  it('passes everything through with no selection', async () => {
    expect(await ids(selectItems(from(letters('abc'))))).toEqual(['a', 'b', 'c']);
  });
});

describe('selectItems: shuffle', () => {
  // The random source: mulberry32(7), pinned here so the orders below can be worked out by hand.
  const draws = [0.011704753153026104, 0.06195825757458806, 0.97690763277933, 0.6990287057124078, 0.5214452685322613];

  it('draws from mulberry32(seed)', () => {
    const random = mulberry32(7);
    expect(draws.map(() => random())).toEqual(draws);
  });

  it('a dataset within the buffer: each step takes slot floor(r * n) and moves the last item into it', async () => {
    // buffer [a b c d]
    // n=4, r=0.0117 -> j=0: a; d moves to slot 0 -> [d b c]
    // n=3, r=0.0620 -> j=0: d; c moves to slot 0 -> [c b]
    // n=2, r=0.9769 -> j=1: b (the last one)     -> [c]
    // n=1, r=0.6990 -> j=0: c
    expect(await ids(selectItems(from(letters('abcd')), { shuffle: { seed: 7 } }))).toEqual(['a', 'd', 'b', 'c']);
  });

  it('a dataset larger than the buffer: each new item replaces the one yielded from slot floor(r * size)', async () => {
    // size 2: fill [a b]
    // c: r=0.0117 -> j=0: a out, [c b]
    // d: r=0.0620 -> j=0: c out, [d b]
    // e: r=0.9769 -> j=1: b out, [d e]
    // drain n=2, r=0.6990 -> j=1: e, [d]; n=1: d
    expect(await ids(selectItems(from(letters('abcde')), { shuffle: { seed: 7, buffer: 2 } }))).toEqual(['a', 'c', 'b', 'e', 'd']);
  });

  it('limit applies after the shuffle', async () => {
    expect(await ids(selectItems(from(letters('abcd')), { shuffle: { seed: 7 }, limit: 2 }))).toEqual(['a', 'd']);
  });

  it('keeps every item exactly once and holds at most `buffer` items', async () => {
    const seen = { pulled: 0 };
    const source = Array.from({ length: 1000 }, (_, i) => item(String(i)));
    let held = 0;
    let yielded = 0;
    const out: string[] = [];
    for await (const one of selectItems(from(source, seen), { shuffle: { seed: 123, buffer: 16 } })) {
      yielded += 1;
      held = Math.max(held, seen.pulled - yielded);
      out.push(one.id);
    }
    expect(out).toHaveLength(1000);
    expect(new Set(out).size).toBe(1000);
    expect(out).not.toEqual(source.map((one) => one.id));
    // One item is out with the consumer; the buffer holds the rest.
    expect(held).toBeLessThanOrEqual(16);
  });

  it('another seed gives another order', async () => {
    const a = await ids(selectItems(from(letters('abcdefghij')), { shuffle: { seed: 1 } }));
    const b = await ids(selectItems(from(letters('abcdefghij')), { shuffle: { seed: 2 } }));
    expect(a).not.toEqual(b);
    expect([...a].sort()).toEqual([...b].sort());
  });
});

describe('datasetSelectionSchema', () => {
  it('fills the shuffle buffer default', () => {
    expect(datasetSelectionSchema.parse({ shuffle: { seed: 3 } })).toEqual({ shuffle: { seed: 3, buffer: 10_000 } });
  });

  it('refuses unknown keys, a zero limit, a fractional seed and an empty list', () => {
    expect(datasetSelectionSchema.safeParse({ limt: 3 }).success).toBe(false);
    expect(datasetSelectionSchema.safeParse({ limit: 0 }).success).toBe(false);
    expect(datasetSelectionSchema.safeParse({ shuffle: { seed: 1.5 } }).success).toBe(false);
    expect(datasetSelectionSchema.safeParse({ filter: { language: [] } }).success).toBe(false);
    expect(datasetSelectionSchema.safeParse({ filter: { language: { en: true } } }).success).toBe(false);
  });

  it('selectItems refuses a bad selection before reading anything', async () => {
    const seen = { pulled: 0 };
    await expect(ids(selectItems(from(letters('ab'), seen), { limit: -1 }))).rejects.toThrow();
    expect(seen.pulled).toBe(0);
  });
});
