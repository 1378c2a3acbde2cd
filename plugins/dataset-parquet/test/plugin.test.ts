import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPlugin, parseOptions } from '@vhb/sdk';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';
import { buildSynthdocParquet } from './fixtures/build-synthdoc-parquet.js';
import { collect, ctx, hf, withTempDir, writeParquet } from './helpers.js';

const plugin = mod.default;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('@vhb/dataset-parquet exports', () => {
  it('exposes the plugin and its helpers, and passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['datasetParquetErrorCodes', 'datasetParquetOptions', 'default', 'imageExtension']);
    expect(checkPlugin(plugin, 'dataset').ok).toBe(true);
    expect(plugin.name).toBe('parquet');
  });

  it('lists every error code it throws', () => {
    expect(Object.keys(mod.datasetParquetErrorCodes).sort()).toEqual([
      'VHB_E_DATASET_CACHE',
      'VHB_E_DATASET_COLUMN',
      'VHB_E_DATASET_IMAGE',
      'VHB_E_DATASET_MANIFEST',
      'VHB_E_DATASET_ROW',
    ]);
  });
});

describe('options', () => {
  it('defaults to data.parquet, the HF column names and a cache under the root', () => {
    expect(parseOptions(plugin, undefined)).toEqual({
      file: 'data.parquet',
      columns: { image: 'image', question: 'question', references: 'answers' },
      cacheDir: '.vhb-cache/images',
    });
  });

  it('refuses unknown keys', () => {
    expect(() => parseOptions(plugin, { files: 'a.parquet' })).toThrow(/files/);
    expect(() => parseOptions(plugin, { columns: { answer: 'a' } })).toThrow(/answer/);
  });
});

describe('imageExtension', () => {
  it('reads the magic bytes, then the stored name', () => {
    expect(mod.imageExtension(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('.png');
    expect(mod.imageExtension(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('.jpg');
    expect(mod.imageExtension(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]))).toBe('.webp');
    expect(mod.imageExtension(new Uint8Array([1, 2, 3]), 'scan.JPEG')).toBe('.jpeg');
    expect(mod.imageExtension(new Uint8Array([1, 2, 3]), 'no-extension')).toBe('.bin');
  });
});

describe('the synthdoc parquet file (HF Image structs)', () => {
  it('yields one item per row across row groups, each image written once to the cache', async () => {
    await withTempDir(async (root) => {
      const rows = await buildSynthdocParquet(join(root, 'data.parquet'), { count: 5, rowGroupSize: 2 });
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(root, 'data.parquet')));
      expect(meta.row_groups.map((group) => Number(group.num_rows))).toEqual([2, 2, 1]);

      const items = await collect(root, { columns: { references: 'text' } });
      expect(items.map(({ image: _, ...rest }) => rest)).toEqual(
        rows.map((row) => ({ id: row.id, references: [row.text], metadata: { doc_type: row.doc_type, language: 'en' } })),
      );
      for (const [i, item] of items.entries()) {
        const original = await readFile(rows[i]?.image as string);
        const hash = sha256(original);
        expect(item.image).toBe(join(root, '.vhb-cache', 'images', hash.slice(0, 2), `${hash}.png`));
        expect(await readFile(item.image as string)).toEqual(original);
      }
      // No temporary file is left behind.
      const folders = await readdir(join(root, '.vhb-cache', 'images'));
      const names = (await Promise.all(folders.map((f) => readdir(join(root, '.vhb-cache', 'images', f))))).flat();
      expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(names).toHaveLength(5);

      // A second pass finds the images in place and does not rewrite them.
      const before = await stat(items[0]?.image as string);
      await collect(root, { columns: { references: 'text' } });
      expect((await stat(items[0]?.image as string)).mtimeMs).toBe(before.mtimeMs);

      expect(await plugin.count?.({ root }, parseOptions(plugin, {}), ctx)).toBe(5);
    });
  });

  it('reads shards in order, numbering rows across them, and an explicit metadata list', async () => {
    await withTempDir(async (root) => {
      const a = await buildSynthdocParquet(join(root, 'a.parquet'), { count: 2 });
      const b = await buildSynthdocParquet(join(root, 'b.parquet'), { count: 3 });
      const items = await collect(root, {
        file: ['a.parquet', 'b.parquet'],
        columns: { id: '#row', references: 'text', metadata: ['id'] },
      });
      // Row numbers run on across shards; the file's own id column is kept as metadata.
      expect(items.map((item) => [item.id, item.metadata.id])).toEqual([...a, ...b].map((row, i) => [String(i + 1), row.id]));
      expect(items.every((item) => Object.keys(item.metadata).join() === 'id')).toBe(true);
      expect(await plugin.count?.({ root }, parseOptions(plugin, { file: ['a.parquet', 'b.parquet'] }), ctx)).toBe(5);
    });
  });
});

describe('column mappings of Hub datasets', () => {
  it('DocVQA: an int64 questionId, a question and a list of answers', async () => {
    await withTempDir(async (root) => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 9]);
      await writeParquet(join(root, 'test.parquet'), [
        { name: 'questionId', data: [49153n, 24580n], schema: hf.int64('questionId') },
        { name: 'question', data: ['What is the date?', 'Who signed?'], schema: hf.string('question') },
        {
          name: 'image',
          data: [
            { bytes: png, path: null },
            { bytes: png, path: null },
          ],
          schema: hf.image('image'),
        },
        { name: 'answers', data: [['May 1', '1 May'], []], schema: hf.strings('answers') },
        { name: 'question_types', data: [['layout'], ['handwritten', 'form']], schema: hf.strings('question_types') },
        { name: 'ucsf_document_page_no', data: ['3', null], schema: hf.string('ucsf_document_page_no') },
      ]);
      const items = await collect(root, { file: 'test.parquet', columns: { id: 'questionId' } });
      const cached = join(root, '.vhb-cache', 'images', sha256(png).slice(0, 2), `${sha256(png)}.png`);
      expect(items).toEqual([
        {
          id: '49153',
          image: cached,
          question: 'What is the date?',
          references: ['May 1', '1 May'],
          metadata: { question_types: ['layout'], ucsf_document_page_no: '3' },
        },
        // The same bytes: the same cache file. A null cell is left out of metadata.
        { id: '24580', image: cached, question: 'Who signed?', references: [], metadata: { question_types: ['handwritten', 'form'] } },
      ]);
    });
  });

  it('ChartQA / OCRBench: query and label, or one answer string; binary columns stay out of metadata', async () => {
    await withTempDir(async (root) => {
      const jpg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1]);
      await writeParquet(join(root, 'chartqa.parquet'), [
        { name: 'image', data: [{ bytes: jpg, path: 'chart.png' }], schema: hf.image('image') },
        { name: 'query', data: ['Highest bar?'], schema: hf.string('query') },
        { name: 'label', data: ['2019'], schema: hf.string('label') },
        { name: 'thumb', data: [{ bytes: jpg, path: 't.jpg' }], schema: hf.image('thumb') },
        { name: 'human_or_machine', data: [0n], schema: hf.int64('human_or_machine') },
      ]);
      const [item] = await collect(root, { file: 'chartqa.parquet', columns: { question: 'query', references: 'label' } });
      // The magic bytes win over the stored name's extension.
      expect(item).toEqual({
        id: '1',
        image: join(root, '.vhb-cache', 'images', sha256(jpg).slice(0, 2), `${sha256(jpg)}.jpg`),
        question: 'Highest bar?',
        references: ['2019'],
        metadata: { human_or_machine: 0 },
      });
    });
  });

  it('an image stored as a path inside the root is resolved like any dataset image', async () => {
    await withTempDir(async (root) => {
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(join(root, 'images'));
      await writeFile(join(root, 'images', 'a.png'), 'x');
      await writeParquet(join(root, 'data.parquet'), [
        { name: 'id', data: ['a', 'b'], schema: hf.string('id') },
        { name: 'image', data: [{ bytes: null, path: 'images/a.png' }, null], schema: hf.image('image') },
        { name: 'answers', data: [['x'], ['y']], schema: hf.strings('answers') },
      ]);
      expect(await collect(root)).toEqual([
        { id: 'a', image: join(root, 'images', 'a.png'), references: ['x'], metadata: {} },
        { id: 'b', references: ['y'], metadata: {} },
      ]);
    });
  });
});
