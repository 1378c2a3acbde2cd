import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { GetOptions, Storage } from '../../src/index.js';

/** Deterministic bytes for file `index` (a different pattern per file). */
export function fileBytes(index: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = (index + 1) * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Writes `count` files of `size` bytes under `dir` (`images/NNN.bin`, some in a sub-folder) and returns their paths. */
export async function writeDataset(dir: string, count: number, size: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = i % 5 === 4 ? `images/sub/${String(i).padStart(3, '0')}.bin` : `images/${String(i).padStart(3, '0')}.bin`;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), fileBytes(i, size));
    paths.push(path);
  }
  return paths;
}

/** A storage that counts reads per key (and records the start of ranged ones); everything else passes through. */
export function countingStorage(inner: Storage) {
  const gets: { key: string; start?: number }[] = [];
  const storage: Storage = {
    url: inner.url,
    supportsRange: inner.supportsRange,
    list: (prefix, options) => inner.list(prefix, options),
    stat: (key, options) => inner.stat(key, options),
    get: (key: string, options?: GetOptions): Promise<Readable> => {
      gets.push({ key, ...(options?.start ? { start: options.start } : {}) });
      return inner.get(key, options);
    },
    put: (key, body, options) => inner.put(key, body, options),
    delete: (key, options) => inner.delete(key, options),
  };
  return { storage, gets };
}
