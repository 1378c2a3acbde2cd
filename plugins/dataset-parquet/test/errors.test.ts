import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSynthdocParquet } from './fixtures/build-synthdoc-parquet.js';
import { collect, failure, hf, withTempDir, writeParquet } from './helpers.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1]);

/** A data.parquet whose second row carries `image`, in a root inside a temp folder (which holds secret.png). */
async function imageError(image: unknown, schema = hf.image('image'), first: unknown = { bytes: png, path: null }) {
  return withTempDir(async (dir) => {
    const root = join(dir, 'data');
    await mkdir(join(root, 'images'), { recursive: true });
    await writeFile(join(dir, 'secret.png'), 'outside');
    await symlink(join(dir, 'secret.png'), join(root, 'images', 'out.png'));
    await writeParquet(join(root, 'data.parquet'), [
      { name: 'id', data: ['ok', 'bad'], schema: hf.string('id') },
      { name: 'image', data: [first, image], schema },
      { name: 'answers', data: [['a'], ['b']], schema: hf.strings('answers') },
    ]);
    return failure(collect(root));
  });
}

describe('images', () => {
  it('refuses a stored path that climbs out of the root, naming the file, row, column and id', async () => {
    const error = await imageError({ bytes: null, path: '../secret.png' });
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(
      /data\.parquet row 2, column "image" \(id bad\): image "\.\.\/secret\.png" points outside the dataset root/,
    );
  });

  it('refuses an absolute path and a symlink out', async () => {
    expect((await imageError({ bytes: null, path: '/etc/hostname' })).message).toMatch(/row 2, .*is an absolute path/);
    expect((await imageError({ bytes: null, path: 'images/out.png' })).message).toMatch(
      /row 2, .*is a link to .*secret\.png, outside the dataset root/,
    );
  });

  it('refuses an image cell that is neither bytes nor a path', async () => {
    const error = await imageError(7n, hf.int64('image'), 6n);
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(/row 1, column "image" \(id ok\): expected an image \(\{bytes, path\}, bytes or a path\), got 6/);
  });
});

describe('rows and columns', () => {
  it('refuses references that are not text, naming row and column', async () => {
    await withTempDir(async (root) => {
      await writeParquet(join(root, 'data.parquet'), [
        { name: 'id', data: ['a'], schema: hf.string('id') },
        { name: 'answers', data: [{ bytes: png, path: 'x' }], schema: hf.image('answers') },
      ]);
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_ROW');
      expect(error.message).toMatch(/data\.parquet row 1, column "answers" \(id a\): references must be text or a list of text/);
    });
  });

  it('refuses an empty id', async () => {
    await withTempDir(async (root) => {
      await writeParquet(join(root, 'data.parquet'), [
        { name: 'id', data: ['a', null], schema: hf.string('id') },
        { name: 'answers', data: [['x'], ['y']], schema: hf.strings('answers') },
      ]);
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_ROW');
      expect(error.message).toMatch(/row 2, column "id": the id is empty \(got null\)/);
    });
  });

  it('refuses a mapped column the schema lacks, listing the columns', async () => {
    await withTempDir(async (root) => {
      await buildSynthdocParquet(join(root, 'data.parquet'), { count: 1 });
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_COLUMN');
      expect(error.message).toMatch(/no column "answers" for references \(columns: id, image, text, doc_type, language\)/);
      expect((await failure(collect(root, { columns: { references: 'text', id: 'qid' } }))).message).toMatch(/no column "qid" for id/);
    });
  });
});

describe('files and cache', () => {
  it('refuses a missing file, a file outside the root, and a file that is not parquet', async () => {
    await withTempDir(async (root) => {
      await writeFile(join(root, 'fake.parquet'), 'id,answers\na,b\n');
      const missing = await failure(collect(root));
      expect(missing.code).toBe('VHB_E_DATASET_MANIFEST');
      expect(missing.message).toContain(join(root, 'data.parquet'));
      expect((await failure(collect(root, { file: '../x.parquet' }))).message).toMatch(/outside the dataset root/);
      const fake = await failure(collect(root, { file: 'fake.parquet' }));
      expect(fake.code).toBe('VHB_E_DATASET_MANIFEST');
      expect(fake.message).toMatch(/fake\.parquet is not a readable parquet file/);
    });
  });

  it('refuses a cache folder outside the root, or linked out of it', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'data');
      await mkdir(join(dir, 'elsewhere'), { recursive: true });
      await mkdir(root);
      await buildSynthdocParquet(join(root, 'data.parquet'), { count: 1 });
      const out = await failure(collect(root, { columns: { references: 'text' }, cacheDir: '../cache' }));
      expect(out.code).toBe('VHB_E_DATASET_CACHE');
      expect(out.message).toMatch(/image cache "\.\.\/cache": must be a folder inside the dataset root/);
      await symlink(join(dir, 'elsewhere'), join(root, 'linked'));
      const linked = await failure(collect(root, { columns: { references: 'text' }, cacheDir: 'linked' }));
      expect(linked.code).toBe('VHB_E_DATASET_CACHE');
      expect(linked.message).toMatch(/is a link to .*elsewhere, outside the dataset root/);
    });
  });
});
