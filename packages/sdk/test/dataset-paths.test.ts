import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, resolveDatasetFile, resolveImage } from '../src/index.js';

describe('isInside', () => {
  it('accepts the folder itself and anything below it', () => {
    expect(isInside('/data/set', '/data/set')).toBe(true);
    expect(isInside('/data/set', '/data/set/images/a.png')).toBe(true);
    expect(isInside('/data/set', '/data/set/..hidden')).toBe(true);
  });

  it('refuses the parent, a sibling with the same prefix, and another tree', () => {
    expect(isInside('/data/set', '/data')).toBe(false);
    expect(isInside('/data/set', '/data/set2/a.png')).toBe(false);
    expect(isInside('/data/set', '/etc/passwd')).toBe(false);
  });
});

describe('resolveImage', () => {
  let dir: string;
  let root: string;
  let realRoot: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-paths-'));
    root = join(dir, 'data');
    await mkdir(join(root, 'images'), { recursive: true });
    await writeFile(join(dir, 'secret.png'), 'outside');
    await writeFile(join(root, 'images', 'real.png'), 'inside');
    await symlink(join(dir, 'secret.png'), join(root, 'images', 'out.png'));
    await symlink('real.png', join(root, 'images', 'in.png'));
    realRoot = await realpath(root);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns the absolute path of a file inside the root, normalised', async () => {
    expect(await resolveImage(root, realRoot, './images/../images/real.png')).toEqual({ ok: true, path: join(root, 'images', 'real.png') });
  });

  it('keeps the name of a link that stays inside', async () => {
    expect(await resolveImage(root, realRoot, 'images/in.png')).toEqual({ ok: true, path: join(root, 'images', 'in.png') });
  });

  it('refuses a link whose target is outside, naming the target', async () => {
    const check = await resolveImage(root, realRoot, 'images/out.png');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toMatch(/image "images\/out\.png" is a link to .*secret\.png, outside the dataset root/);
  });

  it('refuses .. climbing out, absolute paths (POSIX and Windows) and the root itself', async () => {
    expect(await resolveImage(root, realRoot, '../secret.png')).toEqual({
      ok: false,
      problem: `image "../secret.png" points outside the dataset root ${root}`,
    });
    expect((await resolveImage(root, realRoot, join(root, 'images', 'real.png'))).ok).toBe(false);
    expect(await resolveImage(root, realRoot, 'C:\\data\\a.png')).toEqual({
      ok: false,
      problem: 'image "C:\\data\\a.png" is an absolute path; write it relative to the dataset root',
    });
    expect((await resolveImage(root, realRoot, '.')).ok).toBe(false);
  });

  it('refuses a missing file and a folder', async () => {
    expect(await resolveImage(root, realRoot, 'images/gone.png')).toEqual({
      ok: false,
      problem: `image "images/gone.png" does not exist (looked for ${join(root, 'images', 'gone.png')})`,
    });
    expect(await resolveImage(root, realRoot, 'images')).toEqual({
      ok: false,
      problem: `image "images" is not a file (${join(root, 'images')})`,
    });
  });
});

describe('resolveDatasetFile', () => {
  let dir: string;
  let root: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-files-'));
    root = join(dir, 'data');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'sub', 'labels.csv'), 'file,label\n');
    await writeFile(join(dir, 'elsewhere.csv'), 'x');
    await symlink(join(dir, 'elsewhere.csv'), join(root, 'link.csv'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns the root, its real path and the file', async () => {
    expect(await resolveDatasetFile(root, 'sub/labels.csv')).toEqual({
      ok: true,
      root,
      realRoot: await realpath(root),
      path: join(root, 'sub', 'labels.csv'),
    });
  });

  it('names each problem: no root, outside, missing, a folder, a link out', async () => {
    const problem = async (rootDir: string, file: string) => {
      const check = await resolveDatasetFile(rootDir, file);
      return check.ok ? 'ok' : check.problem;
    };
    expect(await problem(join(dir, 'nope'), 'a.csv')).toBe(`dataset root ${join(dir, 'nope')} does not exist`);
    expect(await problem(root, '../elsewhere.csv')).toBe(`"../elsewhere.csv" is outside the dataset root ${root}`);
    expect(await problem(root, join(root, 'sub', 'labels.csv'))).toMatch(/is outside the dataset root/);
    expect(await problem(root, 'gone.csv')).toBe(`${join(root, 'gone.csv')} does not exist or is not a file`);
    expect(await problem(root, 'sub')).toBe(`${join(root, 'sub')} does not exist or is not a file`);
    expect(await problem(root, 'link.csv')).toMatch(/"link\.csv" is a link to .*elsewhere\.csv, outside the dataset root/);
  });
});
