import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { collect, ctx, failure, fixtures, withTempDir } from './helpers.js';

/** Writes `text` as manifest.csv in a fresh folder and returns what reading it throws. */
async function csvError(text: string, options: Record<string, unknown> = {}) {
  return withTempDir(async (root) => {
    await writeFile(join(root, 'manifest.csv'), text);
    return { root, error: await failure(collect(root, options)) };
  });
}

describe('bad rows', () => {
  it('names the file and line of a row with too many or too few cells', async () => {
    const { root, error } = await csvError('id,references\na,x\nb,y,z\n');
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toBe(`${join(root, 'manifest.csv')} line 3: 3 cells, the header has 2 columns`);
    expect(error.hint).toMatch(/separator \(","\)/);
  });

  it('names the line of broken quoting', async () => {
    const { error } = await csvError('id,references\na,"x\nb,"y"z\n');
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toMatch(/manifest\.csv line \d+: not valid CSV/);
  });

  it('names the line and column of an empty id', async () => {
    const { root, error } = await csvError('id,references\na,x\n ,y\n');
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toBe(`${join(root, 'manifest.csv')} line 3, column "id": the id is empty`);
  });

  it('names the line and column of a list cell that is not a list of strings', async () => {
    const { root, error } = await csvError('id,references\na,"[1, 2]"\n');
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toBe(
      `${join(root, 'manifest.csv')} line 2, column "references": "[1, 2]" looks like a list but is not a list of strings`,
    );
  });
});

describe('header', () => {
  it('refuses a header without the id or references column, listing the columns', async () => {
    const { error } = await csvError('name,references\na,x\n');
    expect(error.code).toBe('VHB_E_DATASET_COLUMN');
    expect(error.message).toMatch(/the header has no column "id" for id \(columns: name, references\)/);
    expect((await csvError('id,answer\na,x\n')).error.message).toMatch(/no column "references" for references/);
  });

  it('refuses a mapped image column the header lacks, but not a default one', async () => {
    expect((await csvError('id,references\na,x\n', { columns: { image: 'img' } })).error.message).toMatch(/no column "img" for image/);
    await withTempDir(async (root) => {
      await writeFile(join(root, 'manifest.csv'), 'id,references\na,x\n');
      expect(await collect(root)).toEqual([{ id: 'a', references: ['x'], metadata: {} }]);
    });
  });

  it('refuses a column named twice, and an empty file', async () => {
    expect((await csvError('id,references,id\na,x,y\n')).error.message).toMatch(/line 1: the header names column "id" twice/);
    const { error } = await csvError('');
    expect(error.code).toBe('VHB_E_DATASET_COLUMN');
    expect(error.message).toMatch(/is empty: no header row/);
  });
});

describe('images', () => {
  it('refuses an image that climbs out of the root, naming line, column and id', async () => {
    const { error } = await csvError('id,image,references\nsneaky,../outside.png,x\n');
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(
      /manifest\.csv line 2, column "image" \(id sneaky\): image "\.\.\/outside\.png" points outside the dataset root/,
    );
  });

  it('refuses an absolute path and a missing file', async () => {
    const absolute = join(fixtures, 'basic', 'images', 'cat.png');
    expect((await csvError(`id,image,references\nabs,${absolute},x\n`)).error.message).toMatch(/\(id abs\): .* is an absolute path/);
    expect((await csvError('id,image,references\ngone,images/gone.png,x\n')).error.message).toMatch(
      /\(id gone\): image "images\/gone\.png" does not exist/,
    );
  });

  it('refuses a symlink out of the root', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'data');
      await mkdir(root);
      await writeFile(join(dir, 'secret.png'), 'x');
      await symlink(join(dir, 'secret.png'), join(root, 'out.png'));
      await writeFile(join(root, 'manifest.csv'), 'id,image,references\nout,out.png,x\n');
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_IMAGE');
      expect(error.message).toMatch(
        /line 2, column "image" \(id out\): image "out\.png" is a link to .*secret\.png, outside the dataset root/,
      );
    });
  });
});

describe('file', () => {
  it('refuses a missing file, one outside the root, and a missing root', async () => {
    const missing = await failure(collect(join(fixtures, 'basic'), { file: 'nope.csv' }));
    expect(missing.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(missing.message).toContain(join(fixtures, 'basic', 'nope.csv'));
    expect((await failure(collect(join(fixtures, 'basic'), { file: '../legacy/annotation.csv' }))).message).toMatch(
      /outside the dataset root/,
    );
    expect((await failure(collect(join(fixtures, 'no-such-root')))).message).toMatch(/no-such-root does not exist/);
    const count = await failure(
      plugin.count?.({ root: join(fixtures, 'basic') }, { file: 'nope.csv', columns: {}, lists: true }, ctx) as Promise<number>,
    );
    expect(count.code).toBe('VHB_E_DATASET_MANIFEST');
  });
});
