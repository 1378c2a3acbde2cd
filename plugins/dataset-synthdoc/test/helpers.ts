import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetItem } from '@vhb/sdk';
import { collectItems, rejectionOf, silentContext, withTempDir as tempDir } from '@vhb/sdk/testing';
import plugin, { CACHE_DIR, type DatasetSynthdocOptionsInput } from '../src/index.js';

export const ctx = silentContext;

/** Every item of the dataset, with options validated as the host validates them. */
export const collect = (root: string, raw: DatasetSynthdocOptionsInput): Promise<DatasetItem[]> => collectItems(plugin, root, raw);

/** The error `promise` rejects with; fails the test when it resolves. */
export const failure = rejectionOf;

export const withTempDir = <T>(run: (dir: string) => Promise<T>): Promise<T> => tempDir('dataset-synthdoc', run);

/** Every file under the cache folder of `root`, relative to it, sorted. */
export async function cacheFiles(root: string): Promise<string[]> {
  const dir = join(root, CACHE_DIR);
  const entries = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const entry of entries) if ((await stat(join(dir, entry))).isFile()) files.push(entry);
  return files.sort();
}
