import { join } from 'node:path';
import { checkPlugin, parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';
import { collect, ctx, failure, fixtures } from './helpers.js';

const plugin = mod.default;

describe('@vhb/dataset-jsonl exports', () => {
  it('exposes the plugin and its helpers, and passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['datasetJsonlErrorCodes', 'datasetJsonlOptions', 'default', 'manifestRowSchema']);
    expect(checkPlugin(plugin, 'dataset').ok).toBe(true);
    expect(plugin.name).toBe('jsonl');
  });

  it('lists every error code it throws', () => {
    expect(Object.keys(mod.datasetJsonlErrorCodes).sort()).toEqual(['VHB_E_DATASET_IMAGE', 'VHB_E_DATASET_MANIFEST', 'VHB_E_DATASET_ROW']);
  });
});

describe('options', () => {
  it('defaults the manifest to manifest.jsonl', () => {
    expect(parseOptions(plugin, undefined)).toEqual({ manifest: 'manifest.jsonl' });
  });

  it('refuses unknown keys (a typo must not silently read the default manifest)', () => {
    expect(() => parseOptions(plugin, { manfest: 'x.jsonl' })).toThrow(/manfest/);
  });
});

describe('items', () => {
  it('yields the rows in file order, skipping blank lines', async () => {
    const root = join(fixtures, 'basic');
    expect(await collect(root)).toEqual([
      {
        id: 'cat',
        image: join(root, 'images', 'cat.png'),
        question: 'What animal is this?',
        references: ['cat', 'kitten'],
        metadata: { doc_type: 'photo', language: 'en' },
      },
      {
        id: 'dog',
        // "./images/sub/dog.png" normalised and made absolute under the root.
        image: join(root, 'images', 'sub', 'dog.png'),
        references: ['dog'],
        // The metadata object merged with the unknown top-level field "language".
        metadata: { source: 'fixture', split: 'test', language: 'en' },
      },
      { id: 'no-image', references: [], metadata: { note: 'text only' } },
    ]);
  });

  it('reads the manifest named in the options', async () => {
    const items = await collect(join(fixtures, 'basic'), { manifest: 'other.jsonl' });
    expect(items.map((item) => item.id)).toEqual(['only']);
  });

  it('accepts CRLF line ends and a leading byte-order mark', async () => {
    const items = await collect(join(fixtures, 'crlf-bom'));
    expect(items.map((item) => [item.id, item.references])).toEqual([
      ['a', ['A']],
      ['b', ['B']],
    ]);
  });

  it('streams: the rows before a bad line arrive before the error', async () => {
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const item of plugin.items({ root: join(fixtures, 'bad-json') }, { manifest: 'manifest.jsonl' }, ctx))
          seen.push(item.id);
      })(),
    );
    expect(seen).toEqual(['a']);
    expect(error.message).toMatch(/line 3/);
  });
});

describe('count', () => {
  it('counts the non-empty lines', async () => {
    // basic/manifest.jsonl: rows on lines 1, 3 and 5; line 2 is empty, line 4 only spaces.
    expect(await plugin.count?.({ root: join(fixtures, 'basic') }, { manifest: 'manifest.jsonl' }, ctx)).toBe(3);
  });

  it('fails like items() when the manifest is missing', async () => {
    const error = await failure(plugin.count?.({ root: join(fixtures, 'basic') }, { manifest: 'nope.jsonl' }, ctx) as Promise<number>);
    expect(error.code).toBe('VHB_E_DATASET_MANIFEST');
  });
});

describe('the synthdoc dataset', () => {
  it('reads all 30 English OCR items with their images', async () => {
    const root = join(fixtures, '..', '..', '..', '..', 'datasets', 'synthdoc');
    const items = await collect(root, { manifest: 'ocr-en.jsonl' });
    expect(items).toHaveLength(30);
    expect(items.every((item) => item.image?.startsWith(join(root, 'images')) && item.metadata.language === 'en')).toBe(true);
  });
});
