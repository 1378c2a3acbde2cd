import { lstat, mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { SyncEvent, SyncFileStatus } from '@vhb/sdk';
import { forEachLimited, VhbError } from '@vhb/sdk';
import { abortedError, isAbort } from './abort.js';
import { fetchFile } from './fetch-file.js';
import { joinKey } from './keys.js';
import { withFolderLock } from './lock.js';
import { hashFile, MANIFEST_FILE, type Manifest, type ManifestFile, parseManifest, readManifest, SYNC_STATE_DIR } from './manifest.js';
import { StampBook } from './stamps.js';
import type { Storage } from './storage.js';

// The event and status types live in @vhb/sdk, so the runner and the CLI know them without this package.
export type { SyncEvent, SyncFileStatus } from '@vhb/sdk';

export interface SyncOptions {
  storage: Storage;
  /** Where the dataset lives in the storage: `<prefix>/vhb-dataset.json` and `<prefix>/<path>` for each file. */
  prefix: string;
  /** The local folder the dataset is brought into (created when missing). */
  cacheDir: string;
  /** Files fetched at once (default 4). */
  concurrency?: number;
  onProgress?: (event: SyncEvent) => void;
  signal?: AbortSignal;
  /** `stamp` (default): re-hash a cached file only when its size or mtime changed since it was verified. `full`: re-hash every file. */
  verify?: 'stamp' | 'full';
  /** Use this manifest instead of reading `<prefix>/vhb-dataset.json` from the storage. */
  manifest?: Manifest;
  /** How long to wait for another sync of the same cache folder to finish (default 10 minutes). */
  lockTimeoutMs?: number;
}

export interface SyncResult {
  manifest: Manifest;
  /** The cache folder (absolute). */
  dir: string;
  files: { path: string; status: SyncFileStatus }[];
  /** Paths fetched from the store (downloaded or resumed). */
  fetched: string[];
  bytesDownloaded: number;
}

/**
 * Brings `cacheDir` to the dataset's manifest: fetches only missing or changed files, `concurrency`
 * at a time, verifies every sha256, never shows a half-written file, continues an interrupted sync.
 * Files in the cache that the manifest does not list are left alone. Writes the manifest to
 * `<cacheDir>/vhb-dataset.json` when done.
 */
export async function syncDataset(options: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const { storage, signal } = options;
  const manifest = options.manifest
    ? parseManifest(options.manifest, 'the manifest given to syncDataset')
    : await readManifest(storage, options.prefix, signal);
  await mkdir(options.cacheDir, { recursive: true }).catch((error) => {
    throw ioError(`create the cache folder ${options.cacheDir}`, error);
  });
  const dir = await realpath(options.cacheDir);
  const stateDir = join(dir, SYNC_STATE_DIR);
  return withFolderLock(stateDir, () => syncLocked(options, manifest, dir, stateDir, started), {
    timeoutMs: options.lockTimeoutMs ?? 600_000,
    ...(signal ? { signal } : {}),
  });
}

async function syncLocked(options: SyncOptions, manifest: Manifest, dir: string, stateDir: string, started: number): Promise<SyncResult> {
  const { storage } = options;
  const stamps = new StampBook(stateDir);
  await stamps.load();
  const total = manifest.files.length;
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  const emit = options.onProgress ?? (() => {});
  emit({ type: 'sync-start', dataset: manifest.name, total, bytes });

  // Stop starting files once one fails for a reason other than its own content, or when the caller aborts.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const statuses: (SyncFileStatus | undefined)[] = new Array(total);
  const errors: unknown[] = [];
  let done = 0;
  let bytesDone = 0;
  let bytesDownloaded = 0;

  await forEachLimited(
    total,
    Math.max(1, options.concurrency ?? 4),
    async (index) => {
      const entry = manifest.files[index] as ManifestFile;
      try {
        const status = await syncOne(
          entry,
          { storage, prefix: options.prefix, dir, stamps, signal, full: options.verify === 'full' },
          (n) => {
            bytesDownloaded += n;
          },
        );
        statuses[index] = status;
        done += 1;
        bytesDone += entry.size;
        emit({ type: 'sync-file', path: entry.path, status, done, total, bytesDone, bytes });
      } catch (caught) {
        const error = caught instanceof VhbError || isAbort(caught) ? caught : ioError(`sync ${entry.path} into ${dir}`, caught);
        errors.push(error);
        if ((error as VhbError).code !== 'VHB_E_SYNC_HASH') stop.abort(error);
      }
    },
    signal,
  );

  if (options.signal?.aborted) throw abortedError(`sync of ${manifest.name} into ${dir}`, options.signal.reason);
  if (errors.length > 0) throw combine(errors);

  await writeAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await stamps.compact(new Set(manifest.files.map((f) => f.path)));
  const files = manifest.files.map((f, i) => ({ path: f.path, status: statuses[i] as SyncFileStatus }));
  const count = (s: SyncFileStatus) => files.filter((f) => f.status === s).length;
  emit({
    type: 'sync-done',
    dataset: manifest.name,
    total,
    cached: count('cached'),
    verified: count('verified'),
    downloaded: count('downloaded'),
    resumed: count('resumed'),
    bytesDownloaded,
    durationMs: Date.now() - started,
  });
  return {
    manifest,
    dir,
    files,
    fetched: files.filter((f) => f.status === 'downloaded' || f.status === 'resumed').map((f) => f.path),
    bytesDownloaded,
  };
}

interface OneContext {
  storage: Storage;
  prefix: string;
  dir: string;
  stamps: StampBook;
  signal: AbortSignal;
  full: boolean;
}

async function syncOne(entry: ManifestFile, ctx: OneContext, onBytes: (n: number) => void): Promise<SyncFileStatus> {
  const target = await targetPath(ctx.dir, entry.path);
  const info = await lstat(target).catch(() => undefined);
  if (info?.isDirectory()) throw ioError(`write ${entry.path}: ${target} is a folder`, undefined, 'remove the folder, or fix the manifest');
  if (info?.isFile() && info.size === entry.size) {
    const stamp = ctx.stamps.get(entry.path);
    const trusted =
      stamp && stamp.sha256 === entry.sha256 && stamp.size === info.size && Math.trunc(stamp.mtimeMs) === Math.trunc(info.mtimeMs);
    if (trusted && !ctx.full) return 'cached';
    const { sha256 } = await hashFile(target, ctx.signal);
    if (sha256 === entry.sha256) {
      if (!trusted) await ctx.stamps.record({ path: entry.path, size: info.size, mtimeMs: info.mtimeMs, sha256 });
      return 'verified';
    }
  }
  const { resumed } = await fetchFile(entry, target, {
    storage: ctx.storage,
    key: joinKey(ctx.prefix, entry.path),
    signal: ctx.signal,
    onBytes,
  });
  const after = await lstat(target);
  await ctx.stamps.record({ path: entry.path, size: after.size, mtimeMs: after.mtimeMs, sha256: entry.sha256 });
  return resumed ? 'resumed' : 'downloaded';
}

/** The file's place in the cache; refused (VHB_E_STORAGE_KEY) when it, or a linked folder on the way, leads outside. */
async function targetPath(dir: string, path: string): Promise<string> {
  const target = resolve(dir, path);
  const outside = (p: string) => p !== dir && !p.startsWith(dir + sep);
  if (outside(target)) throw escapeError(path, target);
  await mkdir(dirname(target), { recursive: true });
  const parent = await realpath(dirname(target));
  if (outside(parent)) throw escapeError(path, parent);
  return target;
}

function escapeError(path: string, where: string): VhbError {
  return new VhbError('VHB_E_STORAGE_KEY', `manifest path ${JSON.stringify(path)} leads outside the cache folder (to ${where})`, {
    hint: 'a dataset path must stay inside the dataset: remove the link in the cache folder or fix the manifest',
  });
}

function combine(errors: unknown[]): unknown {
  const real = errors.filter((e) => !isAbort(e));
  const hashes = real.filter((e) => (e as VhbError).code === 'VHB_E_SYNC_HASH') as VhbError[];
  const other = real.find((e) => (e as VhbError).code !== 'VHB_E_SYNC_HASH');
  if (other) return other;
  if (hashes.length === 1) return hashes[0];
  if (hashes.length > 1)
    return new VhbError('VHB_E_SYNC_HASH', `${hashes.length} files do not match the manifest: ${hashes.map((e) => e.message).join('; ')}`, {
      hint: hashes[0]?.hint,
      cause: hashes,
    });
  return errors[0];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.vhb-part`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw ioError(`write ${path}`, error);
  }
}

function ioError(what: string, cause: unknown, hint = 'check that the cache folder is writable and the disk is not full'): VhbError {
  return new VhbError('VHB_E_SYNC_IO', `could not ${what}${cause ? `: ${(cause as Error).message}` : ''}`, { hint, cause });
}
