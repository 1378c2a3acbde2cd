import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetItem, type PluginContext, parseOptions } from '@vhb/sdk';
import plugin, { CACHE_DIR, type DatasetSynthdocOptionsInput } from '../src/index.js';

export const ctx: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };

/** Every item of the dataset, with options validated as the host validates them. */
export async function collect(root: string, raw: DatasetSynthdocOptionsInput): Promise<DatasetItem[]> {
  const options = parseOptions(plugin, raw);
  const out: DatasetItem[] = [];
  for await (const item of plugin.items({ root }, options, ctx)) out.push(item);
  return out;
}

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dataset-synthdoc-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every file under the cache folder of `root`, relative to it, sorted. */
export async function cacheFiles(root: string): Promise<string[]> {
  const dir = join(root, CACHE_DIR);
  const entries = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const entry of entries) if ((await stat(join(dir, entry))).isFile()) files.push(entry);
  return files.sort();
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection, got none');
}
