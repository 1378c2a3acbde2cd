// Helpers for plugin authors' tests (`@vhb/sdk/testing`): what every dataset, adapter or task test
// needs and would otherwise write again. Not imported by the main entry.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetItem } from '../data.js';
import type { DatasetPlugin, PluginContext } from '../plugins.js';
import { parseOptions } from '../run/options.js';

/** A plugin context that logs nothing and has an empty environment. */
export const silentContext: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };

/** Every item a dataset plugin yields for `root`, its raw options checked by the plugin's schema first. */
export async function collectItems(
  plugin: DatasetPlugin<any>,
  root: string,
  options: unknown = {},
  ctx: PluginContext = silentContext,
): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of plugin.items({ root }, parseOptions(plugin, options), ctx)) items.push(item);
  return items;
}

/** The error `promise` rejects with (with its VhbError code and hint, when it has them); throws when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; hint?: string };
  }
  throw new Error('expected a rejection, got none');
}

/** Runs `work` with a new temporary folder, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
