import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, MANIFEST_FILE, syncDataset, type UploadEvent, uploadDataset, uploadResults } from '../src/index.js';
import { type LocalS3, startS3 } from './helpers/s3-server.js';
import { collect } from './helpers/streams.js';

let s3: LocalS3;
let work: string;

beforeAll(async () => {
  s3 = await startS3();
  work = await mkdtemp(join(tmpdir(), 'vhb-upload-'));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

async function writeTree(dir: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

describe('buildManifest', () => {
  it('lists every file with its sha256 and size, sorted, and writes vhb-dataset.json', async () => {
    const dir = join(work, 'manifest');
    await writeTree(dir, { 'b/c.txt': 'abc', 'a.txt': '', 'b/.hidden': 'x' });
    // Left out: a previous manifest, the cache's state, sync temp files.
    await writeTree(dir, { [MANIFEST_FILE]: '{}', '.vhb-sync/stamps.jsonl': '', 'b/.c.txt.0123456789abcdef.vhb-part': 'ab' });
    const manifest = await buildManifest(dir, { name: 'tiny' });
    expect(manifest.name).toBe('tiny');
    expect(manifest.files).toEqual([
      { path: 'a.txt', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 0 },
      { path: 'b/.hidden', sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', size: 1 },
      { path: 'b/c.txt', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', size: 3 },
    ]);
    expect(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
  });

  it('refuses a link that points outside the folder', async () => {
    const dir = join(work, 'linked');
    await writeTree(dir, { 'a.txt': 'a' });
    await writeTree(join(work, 'elsewhere'), { 'secret.txt': 's' });
    await symlink(join(work, 'elsewhere', 'secret.txt'), join(dir, 'link.txt'));
    await expect(buildManifest(dir)).rejects.toMatchObject({ code: 'VHB_E_STORAGE_KEY', message: expect.stringContaining('link.txt') });
  });
});

describe('uploadDataset and uploadResults', () => {
  it('uploads only the files that differ from what the store holds', async () => {
    const dir = join(work, 'ds');
    await writeTree(dir, { 'one.txt': '1', 'two.txt': '22', 'sub/three.txt': '333' });
    const storage = s3.storage();
    const first = await uploadDataset({ storage, prefix: 'pub/ds', dir });
    expect(first.uploaded).toEqual(['one.txt', 'sub/three.txt', 'two.txt']);
    expect(first.bytesUploaded).toBe(6);
    const keys = (await collect(storage.list('pub/ds/'))).map((o) => o.key).sort();
    expect(keys).toEqual(['pub/ds/one.txt', 'pub/ds/sub/three.txt', 'pub/ds/two.txt', `pub/ds/${MANIFEST_FILE}`].sort());

    const again = await uploadDataset({ storage, prefix: 'pub/ds', dir });
    expect(again.uploaded).toEqual([]);
    expect(again.unchanged).toHaveLength(3);

    await writeFile(join(dir, 'two.txt'), 'XX'); // same size, other content
    await writeFile(join(dir, 'four.txt'), '4444');
    const events: UploadEvent[] = [];
    const third = await uploadDataset({ storage, prefix: 'pub/ds', dir, onProgress: (e) => events.push(e) });
    expect(third.uploaded).toEqual(['four.txt', 'two.txt']);
    expect(events[0]).toEqual({ type: 'upload-start', total: 4, bytes: 10 });
    expect(events.at(-1)).toMatchObject({ type: 'upload-done', total: 4, uploaded: 2, unchanged: 2, bytesUploaded: 6 });

    // An object deleted from the store behind the manifest's back is uploaded again.
    await storage.delete('pub/ds/one.txt');
    expect((await uploadDataset({ storage, prefix: 'pub/ds', dir })).uploaded).toEqual(['one.txt']);
  });

  it('uploads a results folder that syncDataset brings back byte for byte', async () => {
    const results = join(work, 'results', 'run-1');
    await writeTree(results, { 'predictions.jsonl': '{"id":"a"}\n', 'summary.json': '{"cer":0.1}', 'report.md': '# r' });
    const storage = s3.storage('results-bucket-root');
    const up = await uploadResults({ storage, prefix: 'exp/run-1', dir: results });
    expect(up.manifest.name).toBe('run-1');
    expect(up.uploaded).toEqual(['predictions.jsonl', 'report.md', 'summary.json']);
    // Nothing is written into the results folder.
    await expect(readFile(join(results, MANIFEST_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await uploadResults({ storage, prefix: 'exp/run-1', dir: results })).uploaded).toEqual([]);

    const back = join(work, 'back');
    await syncDataset({ storage, prefix: 'exp/run-1', cacheDir: back });
    expect(await readFile(join(back, 'summary.json'), 'utf8')).toBe('{"cer":0.1}');
    expect(await readFile(join(back, 'predictions.jsonl'), 'utf8')).toBe('{"id":"a"}\n');
  });
});
