import { fileURLToPath } from 'node:url';
import type { DatasetItem } from '@vhb/sdk';
import { collectItems, rejectionOf, silentContext, withTempDir as tempDir } from '@vhb/sdk/testing';
import type { SchemaElement } from 'hyparquet';
import plugin from '../src/index.js';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const ctx = silentContext;

export const collect = (root: string, options: Record<string, unknown> = {}): Promise<DatasetItem[]> => collectItems(plugin, root, options);

/** The error `promise` rejects with; fails the test when it resolves. */
export const failure = rejectionOf;

export const withTempDir = <T>(run: (dir: string) => Promise<T>): Promise<T> => tempDir('dataset-parquet', run);

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
