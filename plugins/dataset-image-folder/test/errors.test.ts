import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, failure, fixtures, withTempDir } from './helpers.js';

/** A root inside a temp folder (which holds secret.png), with img/ok.png and `labels` as its labels file. */
async function labelsError(name: string, text: string, options: Record<string, unknown> = {}) {
  return withTempDir(async (dir) => {
    const root = join(dir, 'data');
    await mkdir(join(root, 'img'), { recursive: true });
    await writeFile(join(dir, 'secret.png'), 'outside');
    await writeFile(join(root, 'img', 'ok.png'), 'P');
    await symlink(join(dir, 'secret.png'), join(root, 'img', 'out.png'));
    await writeFile(join(root, name), text);
    return { root, error: await failure(collect(root, { labels: name, ...options })) };
  });
}

describe('labels rows', () => {
  it('refuses an image that climbs out of the root, naming the line and id', async () => {
    const { error } = await labelsError('labels.csv', 'file,label\nimg/ok.png,a\n../secret.png,b\n');
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(/labels\.csv line 3 \(id \.\.\/secret\.png\): image "\.\.\/secret\.png" points outside the dataset root/);
  });

  it('lets .. leave the images folder but not the root', async () => {
    const { error } = await labelsError('labels.csv', 'file,label\n../img/ok.png,a\n../../secret.png,b\n', { images: 'img' });
    expect(error.message).toMatch(/line 3 \(id \.\.\/\.\.\/secret\.png\): image .* points outside the dataset root/);
  });

  it('refuses an absolute path, a symlink out and a missing image', async () => {
    expect((await labelsError('labels.csv', `file,label\n${join(fixtures, 'labels', 'img', '1.png')},a\n`)).error.message).toMatch(
      /line 2 .*is an absolute path/,
    );
    expect((await labelsError('labels.jsonl', '{"file":"img/out.png","label":"a"}\n')).error.message).toMatch(
      /labels\.jsonl line 1 \(id img\/out\.png\): image "img\/out\.png" is a link to .*secret\.png, outside the dataset root/,
    );
    expect((await labelsError('labels.csv', 'file,label\nimg/gone.png,a\n')).error.message).toMatch(
      /line 2 \(id img\/gone\.png\): image "img\/gone\.png" does not exist/,
    );
  });

  it('refuses an empty label or file, naming line and column', async () => {
    const { error } = await labelsError('labels.csv', 'file,label\nimg/ok.png,\n');
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toMatch(/labels\.csv line 2, column "label": empty or not text \(got ""\)/);
    expect((await labelsError('labels.jsonl', '{"label":"a"}\n')).error.message).toMatch(
      /line 1, column "file": empty or not text \(got nothing\)/,
    );
  });

  it('refuses bad JSON, a non-object line, a wrong cell count and a missing column', async () => {
    expect((await labelsError('labels.jsonl', '{"file":"img/ok.png","label":"a"}\n{nope\n')).error.message).toMatch(
      /line 2: not valid JSON/,
    );
    expect((await labelsError('labels.jsonl', '["img/ok.png","a"]\n')).error.message).toMatch(/line 1: expected a JSON object/);
    expect((await labelsError('labels.csv', 'file,label\nimg/ok.png,a,b\n')).error.message).toMatch(
      /line 2: 3 cells, the header has 2 columns/,
    );
    const { error } = await labelsError('labels.csv', 'image,label\nimg/ok.png,a\n');
    expect(error.code).toBe('VHB_E_DATASET_COLUMN');
    expect(error.message).toMatch(/the header has no column "file" \(columns: image, label\)/);
  });
});

describe('folders', () => {
  it('refuses a class-folder file that links out of the root, naming it', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'data');
      await mkdir(join(root, 'cat'), { recursive: true });
      await writeFile(join(dir, 'secret.png'), 'outside');
      await symlink(join(dir, 'secret.png'), join(root, 'cat', 'evil.png'));
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_IMAGE');
      expect(error.message).toMatch(/\(id cat\/evil\.png\): image "cat\/evil\.png" is a link to .*secret\.png, outside the dataset root/);
    });
  });

  it('does not follow a folder behind a symlink', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'data');
      await mkdir(join(dir, 'outside'), { recursive: true });
      await mkdir(join(root, 'cat'), { recursive: true });
      await writeFile(join(dir, 'outside', 'x.png'), 'P');
      await writeFile(join(root, 'cat', '.hidden.png'), 'P');
      await symlink(join(dir, 'outside'), join(root, 'linked'));
      expect(await collect(root)).toEqual([]);
    });
  });

  it('refuses an images folder outside the root, a missing one, a missing root and a missing labels file', async () => {
    const root = join(fixtures, 'labels');
    const outside = await failure(collect(root, { images: '../folders' }));
    expect(outside.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(outside.message).toMatch(/images folder "\.\.\/folders" is outside the dataset root/);
    expect((await failure(collect(root, { images: 'nope' }))).message).toMatch(/images folder .*nope does not exist or is not a folder/);
    expect((await failure(collect(join(fixtures, 'no-such-root')))).message).toMatch(/no-such-root does not exist/);
    const labels = await failure(collect(root, { labels: 'nope.csv' }));
    expect(labels.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(labels.message).toContain(join(root, 'nope.csv'));
  });
});
