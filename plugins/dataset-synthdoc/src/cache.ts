import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VhbError } from '@vhb/sdk';
import type { DocType, Language } from './generator/model.js';
import { rendererIdentity } from './generator/versions.js';

/** The cache folder, relative to the dataset root (`.vhb-cache/` is what git and the project ignore). */
export const CACHE_DIR = '.vhb-cache/synthdoc';

/** What decides one document's pixels: the generator (and renderer) version, the seed, the index, the type and the language. */
export interface ImageKey {
  seed: number;
  index: number;
  docType: DocType;
  language: Language;
}

/**
 * The image's content address: the SHA-256 of everything that decides its pixels. Different keys
 * never share a file, and a new generator or renderer version never reads an old file.
 */
export function imageAddress(key: ImageKey): string {
  const identity = JSON.stringify([rendererIdentity(), key.seed, key.index, key.docType, key.language]);
  return createHash('sha256').update(identity).digest('hex');
}

/** Absolute path of the cached PNG for `key` under `root`: `<root>/.vhb-cache/synthdoc/<2 hex>/<64 hex>.png`. */
export function imagePathFor(root: string, key: ImageKey): string {
  const address = imageAddress(key);
  return join(resolve(root), CACHE_DIR, address.slice(0, 2), `${address}.png`);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes sure the PNG at `path` exists: when it does not, `render()` draws it, and it is written
 * under a temporary name and renamed into place, so a reader never sees half a file and two
 * writers never mix their bytes. Returns whether it rendered.
 */
export async function ensureImage(path: string, render: () => Promise<Buffer>): Promise<boolean> {
  if (await exists(path)) return false;
  const png = await render();
  const dir = join(path, '..');
  const temp = `${path}.${process.pid}-${randomUUID()}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, png);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new VhbError('VHB_E_DATASET_CACHE', `synthdoc: cannot write the cached image ${path}: ${(error as Error).message}`, {
      hint: "make the dataset folder writable, or point the dataset's path at a writable folder",
      cause: error,
    });
  }
  return true;
}
