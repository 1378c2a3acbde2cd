import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, failure, fixtures, withTempDir } from './helpers.js';

async function rowError(lines: string[]) {
  return withTempDir(async (root) => {
    await writeFile(join(root, 'manifest.jsonl'), `${lines.join('\n')}\n`);
    return { root, error: await failure(collect(root)) };
  });
}

describe('bad rows', () => {
  it('names the manifest and line of invalid JSON', async () => {
    const error = await failure(collect(join(fixtures, 'bad-json')));
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toContain(join(fixtures, 'bad-json', 'manifest.jsonl'));
    expect(error.message).toMatch(/line 3: not valid JSON/);
    expect(error.hint).toMatch(/one JSON object/);
  });

  it('names the line, the field and the offending value of a wrong type', async () => {
    const error = await failure(collect(join(fixtures, 'bad-references')));
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toMatch(/line 2: field "references" is invalid: .*\(got "b"\)/);
  });

  it('points into arrays: a number among the references', async () => {
    const { error } = await rowError(['{"id":"a","references":["ok",7]}']);
    expect(error.message).toMatch(/line 1: field "references\.1" is invalid: .*\(got 7\)/);
  });

  it('refuses a row without an id, and an empty id', async () => {
    expect((await rowError(['{"references":["x"]}'])).error.message).toMatch(/field "id" is invalid: .*\(got nothing\)/);
    expect((await rowError(['{"id":"","references":["x"]}'])).error.message).toMatch(/field "id" is invalid/);
  });

  it('refuses a row that is not an object', async () => {
    const { error } = await rowError(['["a","b"]']);
    expect(error.code).toBe('VHB_E_DATASET_ROW');
    expect(error.message).toMatch(/line 1: expected a JSON object, got \["a","b"\]/);
  });

  it('refuses metadata that is not an object', async () => {
    expect((await rowError(['{"id":"a","references":[],"metadata":"x"}'])).error.message).toMatch(/field "metadata" is invalid/);
  });

  it('refuses a field given twice with different values', async () => {
    const { error } = await rowError(['{"id":"a","references":[],"language":"en","metadata":{"language":"ru"}}']);
    expect(error.message).toMatch(/field "language" is given both at the top level \("en"\) and in metadata \("ru"\)/);
  });
});

describe('images', () => {
  it('refuses an image that climbs out of the root, naming the row', async () => {
    const error = await failure(collect(join(fixtures, 'escape', 'data')));
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(/line 1 \(id sneaky\): image "\.\.\/outside\.png" points outside the dataset root/);
  });

  it('refuses an absolute image path', async () => {
    const { error } = await rowError([
      `{"id":"abs","image":${JSON.stringify(join(fixtures, 'basic', 'images', 'cat.png'))},"references":[]}`,
    ]);
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(/line 1 \(id abs\): .* is an absolute path/);
  });

  it('refuses a missing image, naming the row', async () => {
    const error = await failure(collect(join(fixtures, 'missing-image')));
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
    expect(error.message).toMatch(/line 2 \(id gone\): image "images\/gone\.png" does not exist/);
  });

  it('refuses a symlink whose target is outside the root, and keeps one that stays inside', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'data');
      await mkdir(join(root, 'images'), { recursive: true });
      await writeFile(join(dir, 'secret.png'), 'outside');
      await writeFile(join(root, 'images', 'real.png'), 'inside');
      await symlink(join(dir, 'secret.png'), join(root, 'images', 'out.png'));
      await symlink('real.png', join(root, 'images', 'in.png'));
      await writeFile(join(root, 'manifest.jsonl'), '{"id":"in","image":"images/in.png","references":[]}\n');
      // A link inside the root keeps its own name: results show the path the manifest gave.
      expect((await collect(root)).map((item) => item.image)).toEqual([join(root, 'images', 'in.png')]);
      await writeFile(join(root, 'manifest.jsonl'), '{"id":"out","image":"images/out.png","references":[]}\n');
      const error = await failure(collect(root));
      expect(error.code).toBe('VHB_E_DATASET_IMAGE');
      expect(error.message).toMatch(/line 1 \(id out\): image "images\/out\.png" is a link to .*secret\.png, outside the dataset root/);
    });
  });

  it('refuses a folder given as an image', async () => {
    const { error } = await rowError(['{"id":"dir","image":".","references":[]}']);
    expect(error.code).toBe('VHB_E_DATASET_IMAGE');
  });
});

describe('manifest', () => {
  it('refuses a missing manifest', async () => {
    const error = await failure(collect(join(fixtures, 'basic'), { manifest: 'nope.jsonl' }));
    expect(error.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(error.message).toContain(join(fixtures, 'basic', 'nope.jsonl'));
  });

  it('refuses a manifest outside the root', async () => {
    const error = await failure(collect(join(fixtures, 'escape', 'data'), { manifest: '../outside.png' }));
    expect(error.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(error.message).toMatch(/outside the dataset root/);
  });

  it('refuses a root that does not exist', async () => {
    const error = await failure(collect(join(fixtures, 'no-such-root')));
    expect(error.code).toBe('VHB_E_DATASET_MANIFEST');
    expect(error.message).toMatch(/no-such-root does not exist/);
  });
});
