// Acceptance: a sync killed with SIGKILL and restarted downloads only what is missing, continues
// interrupted downloads with ranged reads, and ends with every hash verified.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, type SyncEvent, syncDataset, uploadDataset } from '../src/index.js';
import { countingStorage, fileBytes, sha256, writeDataset } from './helpers/dataset.js';
import { type LocalS3, S3RVER_CREDENTIALS, startS3 } from './helpers/s3-server.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = 40;
const SIZE = 256 * 1024;
const KILL_AFTER = 12;
let s3: LocalS3;
let work: string;
let paths: string[];

beforeAll(async () => {
  // The child imports the built package, so build it from the current sources first.
  execFileSync(join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: pkg });
  s3 = await startS3();
  work = await mkdtemp(join(tmpdir(), 'vhb-sync-kill-'));
  paths = await writeDataset(join(work, 'source'), COUNT, SIZE);
  await uploadDataset({ storage: s3.storage(), prefix: 'datasets/big', dir: join(work, 'source'), name: 'big' });
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

/** Starts the sync in a child process and SIGKILLs it once `after` files are done; resolves with the events it printed. */
function syncThenKill(cacheDir: string, after: number): Promise<{ events: SyncEvent[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [join(pkg, 'test', 'fixtures', 'sync-child.mjs'), `s3://${s3.bucket}`, 'datasets/big', cacheDir], {
    env: {
      PATH: process.env.PATH,
      VHB_S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SYNC_CHILD_CHUNK_DELAY_MS: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const events: SyncEvent[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as SyncEvent | { type: 'child-finished' };
      if (event.type === 'child-finished') return;
      events.push(event);
      if (event.type === 'sync-file' && event.done === after) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child was not killed (exit ${code}): ${stderr.slice(-2000)}`));
      else resolve({ events, signal });
    });
  });
}

describe('sync killed with SIGKILL, then restarted', () => {
  it('downloads only what is missing, continues partial downloads, and verifies every hash', { timeout: 120_000 }, async () => {
    const cacheDir = join(work, 'cache');
    const { events, signal } = await syncThenKill(cacheDir, KILL_AFTER);
    expect(signal).toBe('SIGKILL');
    const doneBeforeKill = events.filter((e) => e.type === 'sync-file').length;
    expect(doneBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(doneBeforeKill).toBeLessThan(COUNT);

    // What the kill left: complete files under their names (each verified before its rename), and hidden parts.
    const complete: string[] = [];
    for (const [i, path] of paths.entries()) {
      const bytes = await readFile(join(cacheDir, path)).catch(() => undefined);
      if (!bytes) continue;
      expect(sha256(bytes), `${path} is visible, so it must be whole`).toBe(sha256(fileBytes(i, SIZE)));
      complete.push(path);
    }
    expect(complete.length).toBeGreaterThanOrEqual(doneBeforeKill);
    const parts = new Map<string, number>();
    for (const folder of ['images', 'images/sub']) {
      for (const name of await readdir(join(cacheDir, folder)).catch(() => [])) {
        const match = /^\.(.+)\.[0-9a-f]{16}\.vhb-part$/.exec(name);
        if (match) parts.set(`${folder}/${match[1]}`, (await stat(join(cacheDir, folder, name))).size);
      }
    }
    const missing = paths.filter((p) => !complete.includes(p));
    expect(missing.length).toBeGreaterThan(0);

    // Restart in this process, counting every read of the store.
    const { storage, gets } = countingStorage(s3.storage());
    const result = await syncDataset({ storage, prefix: 'datasets/big', cacheDir, concurrency: 3 });
    const dataGets = gets.filter((g) => !g.key.endsWith(MANIFEST_FILE));
    expect(dataGets.map((g) => g.key).sort()).toEqual(missing.map((p) => `datasets/big/${p}`).sort());
    // Each part the kill left with some bytes was continued from where it stopped.
    for (const [path, size] of parts) {
      if (complete.includes(path) || size === 0 || size >= SIZE) continue;
      expect(dataGets).toContainEqual({ key: `datasets/big/${path}`, start: size });
      expect(result.files.find((f) => f.path === path)?.status).toBe('resumed');
    }
    expect(result.fetched.sort()).toEqual([...missing].sort());
    for (const f of result.files) if (complete.includes(f.path)) expect(['cached', 'verified']).toContain(f.status);

    // Every file in the cache is the dataset's, byte for byte, and a full verification fetches nothing.
    for (const [i, path] of paths.entries()) expect(sha256(await readFile(join(cacheDir, path)))).toBe(sha256(fileBytes(i, SIZE)));
    const { storage: again, gets: gets2 } = countingStorage(s3.storage());
    const full = await syncDataset({ storage: again, prefix: 'datasets/big', cacheDir, verify: 'full' });
    expect(full.files.every((f) => f.status === 'verified')).toBe(true);
    expect(gets2.filter((g) => !g.key.endsWith(MANIFEST_FILE))).toEqual([]);
    // No temp file is left anywhere.
    const leftovers = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.vhb-part'));
    expect(leftovers).toEqual([]);
  });
});
