import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage, type Storage } from '../src/index.js';
import { type LocalS3, startS3 } from './helpers/s3-server.js';
import { collect, readAll } from './helpers/streams.js';

let s3: LocalS3;
let folder: string;

beforeAll(async () => {
  s3 = await startS3();
  folder = await mkdtemp(join(tmpdir(), 'vhb-local-storage-'));
});
afterAll(async () => {
  await s3?.close();
  await rm(folder, { recursive: true, force: true });
});

// The same contract, run against both implementations.
const kinds: [string, () => Storage][] = [
  ['LocalStorage', () => new LocalStorage(folder)],
  ['S3Storage (s3rver)', () => s3.storage('root/prefix')],
];

describe.each(kinds)('%s', (_name, make) => {
  it('puts a buffer, a string and a stream, and reads them back', async () => {
    const storage = make();
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    expect(await storage.put('a/one.bin', bytes)).toMatchObject({ key: 'a/one.bin', size: 1000 });
    expect(await storage.put('a/two.txt', 'héllo')).toMatchObject({ key: 'a/two.txt', size: 6 });
    const streamed = await storage.put('b/three.txt', Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    expect(streamed.size).toBe(6);
    expect(await readAll(await storage.get('a/one.bin'))).toEqual(bytes);
    expect((await readAll(await storage.get('a/two.txt'))).toString()).toBe('héllo');
    expect((await readAll(await storage.get('b/three.txt'))).toString()).toBe('abcdef');
  });

  it('reads a range: from a start byte, and between two bytes', async () => {
    const storage = make();
    await storage.put('r.txt', '0123456789');
    expect((await readAll(await storage.get('r.txt', { start: 4 }))).toString()).toBe('456789');
    expect((await readAll(await storage.get('r.txt', { start: 2, end: 5 }))).toString()).toBe('2345');
    expect(storage.supportsRange).toBe(true);
  });

  it('stats objects: size and an etag that changes with the content', async () => {
    const storage = make();
    const first = await storage.put('s.txt', 'short');
    const stat1 = await storage.stat('s.txt');
    expect(stat1).toMatchObject({ key: 's.txt', size: 5 });
    expect(stat1?.etag).toBeTruthy();
    expect(first.etag ?? stat1?.etag).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    await storage.put('s.txt', 'a longer text');
    const stat2 = await storage.stat('s.txt');
    expect(stat2?.size).toBe(13);
    expect(stat2?.etag).not.toBe(stat1?.etag);
    expect(await storage.stat('missing.txt')).toBeUndefined();
  });

  it('lists by prefix, with keys relative to the root', async () => {
    const storage = make();
    await storage.put('list/x/1.txt', '1');
    await storage.put('list/x/2.txt', '22');
    await storage.put('list/y.txt', '333');
    await storage.put('listing.txt', '4444');
    const under = (await collect(storage.list('list/'))).map((o) => [o.key, o.size]).sort();
    expect(under).toEqual([
      ['list/x/1.txt', 1],
      ['list/x/2.txt', 2],
      ['list/y.txt', 3],
    ]);
    const byName = (await collect(storage.list('list'))).map((o) => o.key).sort();
    expect(byName).toEqual(['list/x/1.txt', 'list/x/2.txt', 'list/y.txt', 'listing.txt']);
    expect(await collect(storage.list('nothing-here/'))).toEqual([]);
  });

  it('deletes, and deleting a missing object is fine', async () => {
    const storage = make();
    await storage.put('d.txt', 'x');
    await storage.delete('d.txt');
    expect(await storage.stat('d.txt')).toBeUndefined();
    await expect(storage.delete('d.txt')).resolves.toBeUndefined();
  });

  it('says VHB_E_STORAGE_NOT_FOUND for a missing object, naming it', async () => {
    const storage = make();
    await expect(storage.get('no/such.bin')).rejects.toMatchObject({
      code: 'VHB_E_STORAGE_NOT_FOUND',
      message: expect.stringContaining('no/such.bin'),
    });
  });

  it.each(['../escape.txt', '/abs.txt', 'a/../../b', 'a\\b', 'a//b', './a', ''])('refuses the key %j', async (key) => {
    const storage = make();
    await expect(storage.get(key)).rejects.toMatchObject({ code: 'VHB_E_STORAGE_KEY' });
    await expect(storage.put(key, 'x')).rejects.toMatchObject({ code: 'VHB_E_STORAGE_KEY' });
  });
});

describe('LocalStorage', () => {
  it('leaves no temp file behind and never shows one in listings', async () => {
    const storage = new LocalStorage(folder);
    await storage.put('tmpcheck/f.txt', 'data');
    expect(await readdir(join(folder, 'tmpcheck'))).toEqual(['f.txt']);
  });

  it('refuses a range starting past the end', async () => {
    const storage = new LocalStorage(folder);
    await storage.put('short.txt', 'abc');
    await expect(storage.get('short.txt', { start: 10 })).rejects.toMatchObject({ code: 'VHB_E_STORAGE_RANGE' });
  });
});
