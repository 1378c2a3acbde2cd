import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type DatasetItem, datasetItemSchema, parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import plugin, { CACHE_DIR, DOC_TYPES, FIELDS, LANGUAGES, slotOf } from '../src/index.js';
import { cacheFiles, collect, ctx, failure, withTempDir } from './helpers.js';

/** Items with the root taken off their image paths, so two roots can be compared. */
function portable(items: DatasetItem[], root: string): DatasetItem[] {
  return items.map((item) => ({ ...item, image: item.image === undefined ? undefined : relative(root, item.image) }));
}

function tally(items: DatasetItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const key = `${item.metadata.doc_type}/${item.metadata.language}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('dataset-synthdoc items', () => {
  it('yields valid items with absolute PNG paths inside the dataset folder', async () => {
    await withTempDir(async (root) => {
      const items = await collect(root, { count: 8 });
      expect(items.map((item) => item.id)).toEqual(Array.from({ length: 8 }, (_, i) => `doc-00000${i}`));
      for (const [index, item] of items.entries()) {
        expect(datasetItemSchema.parse(item)).toEqual(item);
        const image = item.image as string;
        expect(isAbsolute(image)).toBe(true);
        expect(image.startsWith(join(root, CACHE_DIR) + sep)).toBe(true);
        const png = await readFile(image);
        // PNG signature, then IHDR with the page width (800 px) at byte 16.
        expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        expect(png.readUInt32BE(16)).toBe(800);
        expect(item.metadata).toEqual({ ...slotMetadata(index), seed: 1729, index });
        expect(item.references).toHaveLength(1);
      }
    });
  });

  it('takes document types in turn, then languages: 20 documents → 3 of each English type, 2 of each Russian', async () => {
    await withTempDir(async (root) => {
      const items = await collect(root, { count: 20, seed: 5, task: 'classification' });
      // Index i: type DOC_TYPES[i mod 4], language LANGUAGES[floor(i / 4) mod 2]. English holds
      // indices 0-3, 8-11, 16-19 (3 per type), Russian 4-7, 12-15 (2 per type).
      expect(tally(items)).toEqual({
        'receipt/en': 3,
        'invoice/en': 3,
        'form/en': 3,
        'letter/en': 3,
        'receipt/ru': 2,
        'invoice/ru': 2,
        'form/ru': 2,
        'letter/ru': 2,
      });
      expect(items.slice(0, 8).map((item) => `${item.metadata.doc_type}/${item.metadata.language}`)).toEqual([
        'receipt/en',
        'invoice/en',
        'form/en',
        'letter/en',
        'receipt/ru',
        'invoice/ru',
        'form/ru',
        'letter/ru',
      ]);
      for (const item of items) expect(item.references).toEqual([item.metadata.doc_type]);
    });
  });

  it('generates only the types and languages asked for', async () => {
    await withTempDir(async (root) => {
      const items = await collect(root, { count: 5, doc_types: ['invoice', 'letter'], languages: ['ru'] });
      // invoice at 0, 2, 4; letter at 1, 3.
      expect(tally(items)).toEqual({ 'invoice/ru': 3, 'letter/ru': 2 });
      // Russian pages are written in Cyrillic.
      for (const item of items) expect(item.references[0]).toMatch(/[А-Яа-я]/);
    });
  });

  it('is deterministic: the same seed gives the same items and identical image bytes', async () => {
    await withTempDir(async (a) => {
      await withTempDir(async (b) => {
        const first = await collect(a, { count: 8, seed: 42 });
        const second = await collect(b, { count: 8, seed: 42 });
        expect(portable(second, b)).toEqual(portable(first, a));
        for (const [i, item] of first.entries()) {
          const other = second[i] as DatasetItem;
          expect((await readFile(other.image as string)).equals(await readFile(item.image as string)), item.id).toBe(true);
        }
        // A longer dataset starts with the same documents: document i does not depend on count.
        const longer = await collect(b, { count: 12, seed: 42 });
        expect(portable(longer.slice(0, 8), b)).toEqual(portable(first, a));
      });
    });
  });

  it('gives other documents and other images for another seed', async () => {
    await withTempDir(async (root) => {
      const a = await collect(root, { count: 8, seed: 42 });
      const b = await collect(root, { count: 8, seed: 43 });
      for (const [i, item] of a.entries()) {
        const other = b[i] as DatasetItem;
        // Same slot (type and language), different content.
        expect(other.metadata.doc_type).toBe(item.metadata.doc_type);
        expect(other.references[0], item.id).not.toBe(item.references[0]);
        expect(other.image).not.toBe(item.image);
        expect((await readFile(other.image as string)).equals(await readFile(item.image as string))).toBe(false);
      }
    });
  });
});

function slotMetadata(index: number) {
  const { docType, language } = slotOf(index, { doc_types: [...DOC_TYPES], languages: [...LANGUAGES] });
  return { doc_type: docType, language };
}

describe('dataset-synthdoc tasks', () => {
  it('kie: the reference is the JSON of the fields, every value drawn on the page next to its label', async () => {
    await withTempDir(async (root) => {
      const kie = await collect(root, { count: 16, seed: 11, task: 'kie' });
      const ocr = new Map(
        (await collect(root, { count: 16, seed: 11, task: 'ocr' })).map((item) => [item.id, item.references[0] as string]),
      );
      expect(kie).toHaveLength(16);
      for (const item of kie) {
        const docType = item.metadata.doc_type as keyof typeof FIELDS;
        const fields = JSON.parse(item.references[0] as string) as Record<string, string>;
        expect(Object.keys(fields)).toEqual([...FIELDS[docType]]);
        expect(item.metadata.fields).toBe(FIELDS[docType].join(', '));
        const text = ocr.get(item.id) as string;
        for (const [name, value] of Object.entries(fields)) {
          expect(value.length, `${item.id} ${name}`).toBeGreaterThan(0);
          expect(text, `${item.id} ${name}`).toContain(value);
        }
        // The value sits where the page says it is, not just anywhere on it.
        const lines = text.split('\n');
        const en = item.metadata.language === 'en';
        const expectLine = (line: string) => expect(lines, `${item.id}: ${line}`).toContain(line);
        if (docType === 'receipt') {
          expect(lines[0]).toBe(fields.merchant);
          expectLine(`${en ? 'TOTAL' : 'ИТОГО'} ${fields.total}`);
          expect(text).toContain(`${en ? 'Date:' : 'Дата:'} ${fields.date} ${en ? 'Time:' : 'Время:'} ${fields.time}`);
        } else if (docType === 'invoice') {
          expectLine(`${en ? 'Invoice No:' : 'Номер счета:'} ${fields.number}`);
          expectLine(`${en ? 'Date:' : 'Дата:'} ${fields.date}`);
          expectLine(`${en ? 'Due date:' : 'Оплатить до:'} ${fields.due_date}`);
          expectLine(`${en ? 'From:' : 'Поставщик:'} ${fields.vendor}`);
          expectLine(`${en ? 'Bill to:' : 'Покупатель:'} ${fields.customer}`);
          expectLine(`${en ? 'Total due' : 'Всего к оплате'} ${fields.total}`);
        } else if (docType === 'form') {
          expectLine(`${en ? 'Full name:' : 'ФИО:'} ${fields.name}`);
          expectLine(`${en ? 'Date of birth:' : 'Дата рождения:'} ${fields.birth_date}`);
          expectLine(`${en ? 'City:' : 'Город:'} ${fields.city}`);
          expectLine(`${en ? 'Phone:' : 'Телефон:'} ${fields.phone}`);
          expectLine(`${en ? 'Occupation:' : 'Профессия:'} ${fields.occupation}`);
          expectLine(`${en ? 'Date signed:' : 'Дата подписи:'} ${fields.date}`);
        } else {
          expect(lines[0]).toBe(fields.sender);
          const salutations = en ? [`Dear ${fields.recipient},`] : [`Уважаемый ${fields.recipient}!`, `Уважаемая ${fields.recipient}!`];
          expect(
            lines.some((line) => salutations.includes(line)),
            `${item.id}: ${salutations.join(' | ')}`,
          ).toBe(true);
          expectLine(fields.date as string);
          // Signed on the line before the signer's role, the last line.
          expect(lines[lines.length - 2]).toBe(fields.signer);
        }
      }
    });
  });

  it('vqa: one item per question, answered by text on the page; count() counts them without rendering', async () => {
    await withTempDir(async (root) => {
      const options = parseOptions(plugin, { count: 12, seed: 3, task: 'vqa' });
      const counted = await plugin.count?.({ root }, options, ctx);
      const vqa = await collect(root, { count: 12, seed: 3, task: 'vqa' });
      expect(counted).toBe(vqa.length);
      const ocr = new Map((await collect(root, { count: 12, seed: 3 })).map((item) => [item.id, item]));
      const perDoc = new Map<string, number>();
      for (const item of vqa) {
        const [, doc, q] = /^(doc-\d{6})-q([12])$/.exec(item.id) ?? [];
        expect(doc, item.id).toBeDefined();
        const page = ocr.get(doc as string) as DatasetItem;
        expect(item.question).toMatch(/\?$/);
        expect(page.references[0]).toContain(item.references[0]);
        expect(item.image).toBe(page.image);
        expect(item.metadata).toEqual(page.metadata);
        perDoc.set(doc as string, Math.max(perDoc.get(doc as string) ?? 0, Number(q)));
      }
      // Every document has one or two questions.
      expect(perDoc.size).toBe(12);
      expect(vqa.length).toBeGreaterThanOrEqual(12);
      expect(vqa.length).toBeLessThanOrEqual(24);
    });
  });

  it('count() is the number of documents for the other tasks', async () => {
    for (const task of ['ocr', 'classification', 'kie'] as const) {
      const options = parseOptions(plugin, { count: 1_000_000, task });
      expect(await plugin.count?.({ root: '/nonexistent' }, options, ctx)).toBe(1_000_000);
    }
  });
});

describe('dataset-synthdoc image cache', () => {
  it('renders each image once: a second pass (any task) writes nothing', async () => {
    await withTempDir(async (root) => {
      const first = await collect(root, { count: 6, seed: 9 });
      const files = await cacheFiles(root);
      expect(files).toHaveLength(6);
      // Backdate every cached file: a re-render would give it a fresh mtime.
      const old = new Date('2001-02-03T04:05:06Z');
      for (const file of files) await utimes(join(root, CACHE_DIR, file), old, old);
      const again = await collect(root, { count: 6, seed: 9 });
      const kie = await collect(root, { count: 6, seed: 9, task: 'kie' });
      expect(again).toEqual(first);
      expect(kie.map((item) => item.image)).toEqual(first.map((item) => item.image));
      expect(await cacheFiles(root)).toEqual(files);
      for (const file of files) expect((await stat(join(root, CACHE_DIR, file))).mtime.toISOString(), file).toBe(old.toISOString());
      // Another seed is another address: six new files, the old ones untouched.
      await collect(root, { count: 6, seed: 10 });
      expect(await cacheFiles(root)).toHaveLength(12);
    });
  });

  it('streams: taking 3 items of a million renders 3 images', async () => {
    await withTempDir(async (root) => {
      const options = parseOptions(plugin, { count: 1_000_000 });
      const taken: string[] = [];
      for await (const item of plugin.items({ root }, options, ctx)) {
        taken.push(item.id);
        if (taken.length === 3) break;
      }
      expect(taken).toEqual(['doc-000000', 'doc-000001', 'doc-000002']);
      expect(await cacheFiles(root)).toHaveLength(3);
      // No temporary file is left behind.
      expect((await cacheFiles(root)).every((file) => file.endsWith('.png'))).toBe(true);
    });
  });

  it('creates a missing dataset folder, and names the folder it cannot create', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'new', 'synthdoc');
      expect(await collect(root, { count: 1 })).toHaveLength(1);
      await writeFile(join(dir, 'a-file'), 'not a folder');
      const error = await failure(collect(join(dir, 'a-file', 'root'), { count: 1 }));
      expect(error.code).toBe('VHB_E_DATASET_CACHE');
      expect(error.message).toContain(join(dir, 'a-file', 'root'));
      expect(error.hint).toMatch(/writ/);
    });
  });
});

describe('dataset-synthdoc options', () => {
  const problem = (raw: unknown) => {
    try {
      parseOptions(plugin, raw);
    } catch (error) {
      return error as Error & { code?: string };
    }
    throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
  };

  it('fills the defaults', () => {
    expect(parseOptions(plugin, { count: 3 })).toEqual({
      seed: 1729,
      count: 3,
      doc_types: ['receipt', 'invoice', 'form', 'letter'],
      languages: ['en', 'ru'],
      task: 'ocr',
    });
  });

  it.each([
    [{}, /count/],
    [{ count: 0 }, /count/],
    [{ count: 2.5 }, /count/],
    [{ count: 2_000_000_000 }, /count/],
    [{ count: 3, seed: -1 }, /seed/],
    [{ count: 3, seed: 2 ** 32 }, /seed/],
    [{ count: 3, doc_types: ['passport'] }, /doc_types\.0/],
    [{ count: 3, doc_types: [] }, /doc_types/],
    [{ count: 3, doc_types: ['receipt', 'receipt'] }, /doc_types: lists a document type twice/],
    [{ count: 3, languages: ['de'] }, /languages\.0/],
    [{ count: 3, languages: ['en', 'en'] }, /languages: lists a language twice/],
    [{ count: 3, task: 'ner' }, /task/],
    [{ count: 3, doctypes: ['receipt'] }, /doctypes/],
  ])('refuses %j', (raw, message) => {
    const error = problem(raw);
    expect(error.code).toBe('VHB_E_PLUGIN_OPTIONS');
    expect(error.message).toMatch(message);
  });
});
