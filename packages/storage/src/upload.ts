import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { forEachLimited, type VhbError } from '@vhb/sdk';
import { abortedError } from './abort.js';
import { joinKey } from './keys.js';
import { MANIFEST_FILE, type Manifest, type ManifestFile, readManifest, scanFolder } from './manifest.js';
import type { Storage } from './storage.js';

export type UploadEvent =
  | { type: 'upload-start'; total: number; bytes: number }
  | { type: 'upload-file'; path: string; status: 'uploaded' | 'unchanged'; done: number; total: number }
  | { type: 'upload-done'; total: number; uploaded: number; unchanged: number; bytesUploaded: number; durationMs: number };

export interface UploadOptions {
  storage: Storage;
  /** Where the folder goes in the storage: `<prefix>/<path>` for each file, `<prefix>/vhb-dataset.json` last. */
  prefix: string;
  /** The local folder to upload. */
  dir: string;
  /** Files uploaded at once (default 4). */
  concurrency?: number;
  onProgress?: (event: UploadEvent) => void;
  signal?: AbortSignal;
  /** The manifest's `name` (default: the folder's name, or the existing manifest's for uploadDataset). */
  name?: string;
}

export interface UploadResult {
  manifest: Manifest;
  /** Paths sent to the store. */
  uploaded: string[];
  /** Paths the store already held with the same sha256 and size. */
  unchanged: string[];
  bytesUploaded: number;
}

/**
 * Writes `<dir>/vhb-dataset.json` listing every file under `dir` with its sha256 and size, and
 * returns it. The manifest itself, `.vhb-sync/` and temp files are not listed.
 */
export async function buildManifest(dir: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<Manifest> {
  const manifest = await scanFolder(dir, options);
  const path = join(dir, MANIFEST_FILE);
  const temp = `${path}.vhb-part`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, path).catch(async (error) => {
    await rm(temp, { force: true });
    throw error;
  });
  return manifest;
}

/** Publishes a dataset folder: builds its manifest (written into `dir`), uploads the files that differ, then the manifest. */
export async function uploadDataset(options: UploadOptions): Promise<UploadResult> {
  const manifest = await buildManifest(options.dir, {
    ...(options.name ? { name: options.name } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return uploadWithManifest(options, manifest);
}

/**
 * Uploads a results folder after a run: only files whose sha256 or size differ from what the
 * store holds (per the manifest uploaded last time), then a manifest, so the results can be
 * fetched back with syncDataset. Nothing is written into `dir`.
 */
export async function uploadResults(options: UploadOptions): Promise<UploadResult> {
  const manifest = await scanFolder(options.dir, {
    ...(options.name ? { name: options.name } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return uploadWithManifest(options, manifest);
}

async function uploadWithManifest(options: UploadOptions, manifest: Manifest): Promise<UploadResult> {
  const started = Date.now();
  const { storage, prefix, signal } = options;
  const emit = options.onProgress ?? (() => {});
  const remote = await remoteState(storage, prefix, signal);
  const total = manifest.files.length;
  emit({ type: 'upload-start', total, bytes: manifest.files.reduce((s, f) => s + f.size, 0) });
  const uploaded: string[] = [];
  const unchanged: string[] = [];
  let bytesUploaded = 0;
  let done = 0;
  const stop = new AbortController();
  const all = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let failure: unknown;
  await forEachLimited(
    total,
    Math.max(1, options.concurrency ?? 4),
    async (index) => {
      const file = manifest.files[index] as ManifestFile;
      try {
        const same = remote.files.get(file.path);
        const status =
          same && same.sha256 === file.sha256 && same.size === file.size && remote.sizes.get(file.path) === file.size
            ? 'unchanged'
            : 'uploaded';
        if (status === 'unchanged') {
          unchanged.push(file.path);
        } else {
          await storage.put(joinKey(prefix, file.path), createReadStream(join(options.dir, file.path)), { signal: all });
          uploaded.push(file.path);
          bytesUploaded += file.size;
        }
        done += 1;
        emit({ type: 'upload-file', path: file.path, status, done, total });
      } catch (error) {
        failure ??= error;
        stop.abort(error);
      }
    },
    all,
  );
  if (signal?.aborted) throw abortedError(`upload of ${options.dir} to ${storage.url}/${prefix}`, signal.reason);
  if (failure) throw failure;
  await storage.put(joinKey(prefix, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
    contentType: 'application/json',
    ...(signal ? { signal } : {}),
  });
  emit({
    type: 'upload-done',
    total,
    uploaded: uploaded.length,
    unchanged: unchanged.length,
    bytesUploaded,
    durationMs: Date.now() - started,
  });
  return { manifest, uploaded: uploaded.sort(), unchanged: unchanged.sort(), bytesUploaded };
}

/** What the store holds under `prefix`: the last manifest's entries (if any) and each object's size. */
async function remoteState(storage: Storage, prefix: string, signal?: AbortSignal) {
  const files = new Map<string, ManifestFile>();
  try {
    for (const file of (await readManifest(storage, prefix, signal)).files) files.set(file.path, file);
  } catch (error) {
    const code = (error as VhbError).code;
    // No manifest yet, or a damaged one: every file is uploaded again.
    if (code !== 'VHB_E_STORAGE_NOT_FOUND' && code !== 'VHB_E_MANIFEST_INVALID') throw error;
  }
  const sizes = new Map<string, number>();
  const root = prefix.replace(/^\/+|\/+$/g, '');
  const head = root === '' ? '' : `${root}/`;
  for await (const object of storage.list(head, signal ? { signal } : {})) sizes.set(object.key.slice(head.length), object.size);
  return { files, sizes };
}
