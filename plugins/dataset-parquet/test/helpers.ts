import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetItem, PluginContext } from '@vhb/sdk';
import { parseOptions } from '@vhb/sdk';
import type { SchemaElement } from 'hyparquet';
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
  const dir = await mkdtemp(join(tmpdir(), 'dataset-parquet-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The HF `{bytes, path}` Image struct and a list<string> column, as pyarrow declares them. */
export const hf = {
  image: (name: string) => [
    { name, repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
    { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  ],
  strings: (name: string) => [
    { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  ],
  string: (name: string) => [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }],
  int64: (name: string) => [{ name, type: 'INT64', repetition_type: 'OPTIONAL' }],
};

/** Writes a parquet file from columns, each with its data and its schema elements (see `hf`). */
export async function writeParquet(
  filename: string,
  columns: Array<{ name: string; data: unknown[]; schema: Array<Record<string, unknown>> }>,
  rowGroupSize = 1000,
): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const schema = [{ name: 'schema', num_children: columns.length }, ...columns.flatMap((column) => column.schema)];
  await parquetWriteFile({
    filename,
    schema: schema as unknown as SchemaElement[],
    rowGroupSize,
    columnData: columns.map(({ name, data }) => ({ name, data })),
  });
}
