import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetItem, PluginContext } from '@vhb/sdk';
import { parseOptions } from '@vhb/sdk';
import plugin from '../src/index.js';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const ctx: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };

export async function collect(root: string, options: Record<string, unknown> = {}): Promise<DatasetItem[]> {
  const out: DatasetItem[] = [];
  for await (const item of plugin.items({ root }, parseOptions(plugin, options), ctx)) out.push(item);
  return out;
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

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dataset-csv-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
