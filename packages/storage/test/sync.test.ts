import { mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partPath } from '../src/fetch-file.js';
import { LocalStorage, MANIFEST_FILE, type Manifest, type SyncEvent, syncDataset, uploadDataset } from '../src/index.js';
import { countingStorage, fileBytes, sha256, writeDataset } from './helpers/dataset.js';
import { type LocalS3, startS3 } from './helpers/s3-server.js';

const COUNT = 12;
const SIZE = 64 * 1024;
let s3: LocalS3;
let work: string;
let paths: string[];

beforeAll(async () => {
  s3 = await startS3();
  work = await mkdtemp(join(tmpdir(), 'vhb-sync-'));
  const source = join(work, 'source');
  paths = await writeDataset(source, COUNT, SIZE);
  await uploadDataset({ storage: s3.storage(), prefix: 'datasets/d1', dir: source, name: 'd1' });
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
const freshCache = () => join(work, `cache-${++n}`);
const dataGets = (gets: { key: string }[]) => gets.filter((g) => !g.key.endsWith(MANIFEST_FILE));

/** Every file under `dir` except the cache's own state, sorted. */
async function visibleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter((p) => !p.startsWith('.vhb-sync'))
    .sort();
}

describe('syncDataset', () => {
  it('downloads every file into an empty cache, verifies them, reports progress', async () => {
    const cacheDir = freshCache();
    const { storage, gets } = countingStorage(s3.storage());
    const events: SyncEvent[] = [];
    const result = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir, concurrency: 3, onProgress: (e) => events.push(e) });
    expect(result.fetched.sort()).toEqual([...paths].sort());
    expect(
      dataGets(gets)
        .map((g) => g.key)
        .sort(),
    ).toEqual(paths.map((p) => `datasets/d1/${p}`).sort());
    for (const [i, path] of paths.entries()) expect(await readFile(join(cacheDir, path))).toEqual(fileBytes(i, SIZE));
    // Nothing but the dataset's files and its manifest is visible: no temp file left.
    expect(await visibleFiles(cacheDir)).toEqual([...paths, MANIFEST_FILE].sort());
    expect(events[0]).toEqual({ type: 'sync-start', dataset: 'd1', total: COUNT, bytes: COUNT * SIZE });
    const fileEvents = events.filter((e) => e.type === 'sync-file');
    expect(fileEvents.map((e) => e.done)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(fileEvents.at(-1)).toMatchObject({ total: COUNT, bytesDone: COUNT * SIZE, bytes: COUNT * SIZE, status: 'downloaded' });
    expect(events.at(-1)).toMatchObject({ type: 'sync-done', total: COUNT, downloaded: COUNT, cached: 0, bytesDownloaded: COUNT * SIZE });
    const local = JSON.parse(await readFile(join(cacheDir, MANIFEST_FILE), 'utf8')) as Manifest;
    expect(local.files).toHaveLength(COUNT);
  });

  it('downloads nothing when the cache is up to date, and does not re-hash it (stamps)', async () => {
    const cacheDir = freshCache();
    await syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir });
    const { storage, gets } = countingStorage(s3.storage());
    const result = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir });
    expect(dataGets(gets)).toEqual([]);
    expect(result.files.every((f) => f.status === 'cached')).toBe(true);
    // verify: 'full' hashes every file again, still fetching nothing.
    const full = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir, verify: 'full' });
    expect(full.files.every((f) => f.status === 'verified')).toBe(true);
    expect(dataGets(gets)).toEqual([]);
  });

  it('detects a corrupted cached file (same size, other bytes) and fetches it again', async () => {
    const cacheDir = freshCache();
    await syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir });
    const victim = paths[3] as string;
    const corrupt = Buffer.from(fileBytes(3, SIZE));
    corrupt[100] = (corrupt[100] as number) ^ 0xff;
    await writeFile(join(cacheDir, victim), corrupt);
    const { storage, gets } = countingStorage(s3.storage());
    const result = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir });
    expect(dataGets(gets).map((g) => g.key)).toEqual([`datasets/d1/${victim}`]);
    expect(result.fetched).toEqual([victim]);
    expect(await readFile(join(cacheDir, victim))).toEqual(fileBytes(3, SIZE));
  });

  it('re-fetches a truncated file; a corruption that kept the mtime needs verify: full', async () => {
    const cacheDir = freshCache();
    await syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir });
    const short = paths[0] as string;
    await writeFile(join(cacheDir, short), fileBytes(0, 1000));
    const silent = paths[1] as string;
    const before = await stat(join(cacheDir, silent));
    const corrupt = Buffer.alloc(SIZE, 1);
    await writeFile(join(cacheDir, silent), corrupt);
    // Back to the recorded millisecond (half-way into it, clear of float rounding).
    const sameMs = (Math.trunc(before.mtimeMs) + 0.5) / 1000;
    await utimes(join(cacheDir, silent), sameMs, sameMs);

    const { storage, gets } = countingStorage(s3.storage());
    const stampOnly = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir });
    expect(stampOnly.fetched).toEqual([short]);
    const full = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir, verify: 'full' });
    expect(full.fetched).toEqual([silent]);
    expect(dataGets(gets).map((g) => g.key)).toEqual([`datasets/d1/${short}`, `datasets/d1/${silent}`]);
    expect(await readFile(join(cacheDir, silent))).toEqual(fileBytes(1, SIZE));
  });

  it('continues an interrupted download with a ranged read', async () => {
    const cacheDir = freshCache();
    await syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir });
    const path = paths[2] as string;
    const entry = { path, sha256: sha256(fileBytes(2, SIZE)), size: SIZE };
    await rm(join(cacheDir, path));
    await writeFile(partPath(join(cacheDir, path), entry), fileBytes(2, SIZE).subarray(0, 40_000));
    const { storage, gets } = countingStorage(s3.storage());
    const result = await syncDataset({ storage, prefix: 'datasets/d1', cacheDir });
    expect(dataGets(gets)).toEqual([{ key: `datasets/d1/${path}`, start: 40_000 }]);
    expect(result.files.find((f) => f.path === path)?.status).toBe('resumed');
    expect(result.bytesDownloaded).toBe(SIZE - 40_000);
    expect(await readFile(join(cacheDir, path))).toEqual(fileBytes(2, SIZE));
    expect(await visibleFiles(cacheDir)).toEqual([...paths, MANIFEST_FILE].sort());
  });

  it('starts over when a left-over part is wrong (ranged read, then a whole read)', async () => {
    const cacheDir = freshCache();
    const path = paths[4] as string;
    const entry = { path, sha256: sha256(fileBytes(4, SIZE)), size: SIZE };
    await syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir });
    await rm(join(cacheDir, path));
    await writeFile(partPath(join(cacheDir, path), entry), Buffer.alloc(10_000, 7));
    const { storage, gets } = countingStorage(s3.storage());
    await syncDataset({ storage, prefix: 'datasets/d1', cacheDir });
    expect(dataGets(gets)).toEqual([{ key: `datasets/d1/${path}`, start: 10_000 }, { key: `datasets/d1/${path}` }]);
    expect(await readFile(join(cacheDir, path))).toEqual(fileBytes(4, SIZE));
  });

  it('fails with VHB_E_SYNC_HASH naming the file when the stored object does not match the manifest', async () => {
    const source = join(work, 'mismatch');
    await writeDataset(source, 3, 1000);
    const storage = s3.storage();
    await uploadDataset({ storage, prefix: 'datasets/bad', dir: source });
    // The object changes behind the manifest's back (same size, other bytes).
    await storage.put('datasets/bad/images/001.bin', Buffer.alloc(1000, 9));
    const cacheDir = freshCache();
    const error = await syncDataset({ storage, prefix: 'datasets/bad', cacheDir }).catch((e) => e);
    expect(error).toMatchObject({ code: 'VHB_E_SYNC_HASH' });
    expect(error.message).toContain('images/001.bin');
    expect(error.message).toContain(sha256(Buffer.alloc(1000, 9)));
    expect(error.hint).toBeTruthy();
    // The good files are there, the bad one is not, and no temp file is visible or left.
    expect(await visibleFiles(cacheDir)).toEqual(['images/000.bin', 'images/002.bin']);
    expect((await readdir(join(cacheDir, 'images'))).filter((f) => f.endsWith('.vhb-part'))).toEqual([]);
  });

  it('fails with VHB_E_STORAGE_NOT_FOUND naming the object when a listed file is missing from the store', async () => {
    const source = join(work, 'missing');
    await writeDataset(source, 2, 100);
    const storage = s3.storage();
    await uploadDataset({ storage, prefix: 'datasets/missing', dir: source });
    await storage.delete('datasets/missing/images/001.bin');
    await expect(syncDataset({ storage, prefix: 'datasets/missing', cacheDir: freshCache() })).rejects.toMatchObject({
      code: 'VHB_E_STORAGE_NOT_FOUND',
      message: expect.stringContaining('datasets/missing/images/001.bin'),
    });
  });

  it.each([['../outside.bin'], ['a/../../outside.bin'], ['/etc/passwd'], ['.vhb-sync/stamps.jsonl'], [MANIFEST_FILE]])(
    'refuses the manifest path %j before fetching anything',
    async (path) => {
      const storage = s3.storage();
      await storage.put(
        'datasets/evil/vhb-dataset.json',
        JSON.stringify({ name: 'evil', files: [{ path, sha256: sha256('x'), size: 1 }] }),
      );
      const { storage: counted, gets } = countingStorage(storage);
      const error = await syncDataset({ storage: counted, prefix: 'datasets/evil', cacheDir: freshCache() }).catch((e) => e);
      expect(error).toMatchObject({ code: 'VHB_E_MANIFEST_INVALID' });
      expect(error.message).toContain(JSON.stringify(path));
      expect(dataGets(gets)).toEqual([]);
    },
  );

  it('refuses to write through a linked folder in the cache that leads outside it', async () => {
    const cacheDir = freshCache();
    const outside = join(work, `outside-${n}`);
    await rm(outside, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(outside, { recursive: true });
    await (await import('node:fs/promises')).mkdir(cacheDir, { recursive: true });
    await symlink(outside, join(cacheDir, 'images'));
    await expect(syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir })).rejects.toMatchObject({
      code: 'VHB_E_STORAGE_KEY',
      message: expect.stringContaining('leads outside the cache folder'),
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('keeps at most `concurrency` downloads in flight', async () => {
    const inner = s3.storage();
    let inFlight = 0;
    let peak = 0;
    const { storage } = countingStorage({
      ...inner,
      url: inner.url,
      supportsRange: true,
      list: (p, o) => inner.list(p, o),
      stat: (k, o) => inner.stat(k, o),
      put: (k, b, o) => inner.put(k, b, o),
      delete: (k, o) => inner.delete(k, o),
      get: async (key, options) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        const body = await inner.get(key, options);
        body.once('close', () => {
          inFlight -= 1;
        });
        return body;
      },
    });
    await syncDataset({ storage, prefix: 'datasets/d1', cacheDir: freshCache(), concurrency: 2 });
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('stops with VHB_E_SYNC_ABORTED when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      syncDataset({ storage: s3.storage(), prefix: 'datasets/d1', cacheDir: freshCache(), signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'VHB_E_SYNC_ABORTED' });
  });

  it('works the same from a local folder storage', async () => {
    const store = join(work, 'local-store');
    await writeDataset(join(store, 'ds'), 4, 5000);
    await uploadDataset({ storage: new LocalStorage(store), prefix: 'ds', dir: join(store, 'ds') });
    const cacheDir = freshCache();
    const result = await syncDataset({ storage: new LocalStorage(store), prefix: 'ds', cacheDir });
    expect(result.fetched).toHaveLength(4);
    expect(await readFile(join(cacheDir, 'images/003.bin'))).toEqual(fileBytes(3, 5000));
  });
});
