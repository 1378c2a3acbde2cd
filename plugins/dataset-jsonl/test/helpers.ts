import { fileURLToPath } from 'node:url';
import type { DatasetItem } from '@vhb/sdk';
import { collectItems, rejectionOf, silentContext, withTempDir as tempDir } from '@vhb/sdk/testing';
import plugin, { type DatasetJsonlOptions } from '../src/index.js';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const ctx = silentContext;

export const collect = (root: string, options: Partial<DatasetJsonlOptions> = {}): Promise<DatasetItem[]> =>
  collectItems(plugin, root, { manifest: 'manifest.jsonl', ...options });

/** The error `promise` rejects with; fails the test when it resolves. */
export const failure = rejectionOf;

export const withTempDir = <T>(run: (dir: string) => Promise<T>): Promise<T> => tempDir('dataset-jsonl', run);
