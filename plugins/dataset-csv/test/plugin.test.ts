import { join } from 'node:path';
import { checkPlugin, parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';
import { collect, ctx, fixtures } from './helpers.js';

const plugin = mod.default;

describe('@vhb/dataset-csv exports', () => {
  it('exposes the plugin and its helpers, and passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['datasetCsvErrorCodes', 'datasetCsvOptions', 'default', 'parseList']);
    expect(checkPlugin(plugin, 'dataset').ok).toBe(true);
    expect(plugin.name).toBe('csv');
  });

  it('lists every error code it throws', () => {
    expect(Object.keys(mod.datasetCsvErrorCodes).sort()).toEqual([
      'VHB_E_DATASET_COLUMN',
      'VHB_E_DATASET_IMAGE',
      'VHB_E_DATASET_MANIFEST',
      'VHB_E_DATASET_ROW',
    ]);
  });
});

describe('options', () => {
  it('defaults the file to manifest.csv and reads lists', () => {
    expect(parseOptions(plugin, undefined)).toEqual({ file: 'manifest.csv', columns: {}, lists: true });
  });

  it('refuses unknown keys, also inside columns', () => {
    expect(() => parseOptions(plugin, { fiel: 'x.csv' })).toThrow(/fiel/);
    expect(() => parseOptions(plugin, { columns: { answer: 'a' } })).toThrow(/answer/);
    expect(() => parseOptions(plugin, { preset: 'legacy' })).toThrow(/preset/);
  });
});

describe('items', () => {
  const root = join(fixtures, 'basic');

  it('maps the default columns, reads list cells and multi-line cells, and puts the rest in metadata', async () => {
    expect(await collect(root)).toEqual([
      {
        id: 'cat',
        image: join(root, 'images', 'cat.png'),
        question: 'What animal is this?',
        references: ['cat', 'kitten'],
        metadata: { doc_type: 'photo', language: 'en' },
      },
      // Empty cells: no question, no metadata entry.
      { id: 'dog', image: join(root, 'images', 'sub', 'dog.png'), references: ['dog'], metadata: { doc_type: 'photo' } },
      // A quoted cell across two lines; the blank line before the row is skipped.
      { id: 'receipt-1', references: ['TOTAL 12.50\nTHANK YOU'], metadata: { doc_type: 'receipt', language: 'en' } },
      // A Python list literal, with a double-quoted string holding an apostrophe.
      { id: 'py', question: 'Which?', references: ['a', "it's"], metadata: { language: 'en' } },
    ]);
  });

  it('reads a list cell as text with lists: false', async () => {
    const items = await collect(root, { lists: false });
    expect(items[0]?.references).toEqual(['["cat", "kitten"]']);
  });

  it('maps named columns, another separator, and splits references', async () => {
    const items = await collect(root, {
      file: 'pipes.csv',
      delimiter: ';',
      columns: { id: 'key', image: 'picture', question: 'ask', references: 'answers' },
      referenceSeparator: '|',
    });
    expect(items).toEqual([
      { id: 'k1', image: join(root, 'images', 'cat.png'), question: 'Colour?', references: ['black', 'dark'], metadata: { split: 'test' } },
      { id: 'k2', question: 'Count?', references: [], metadata: { split: 'train' } },
    ]);
  });

  it('joins several id columns, keeps only the listed metadata columns, and numbers rows with #row', async () => {
    const options = { file: 'pipes.csv', delimiter: ';', columns: { id: ['split', 'key'], references: 'answers', metadata: ['ask'] } };
    expect((await collect(root, options)).map((item) => [item.id, item.metadata])).toEqual([
      ['test:k1', { ask: 'Colour?' }],
      ['train:k2', { ask: 'Count?' }],
    ]);
    const rows = await collect(root, { ...options, columns: { id: '#row', references: 'answers' } });
    expect(rows.map((item) => item.id)).toEqual(['1', '2']);
  });

  it('reads the legacy VLMHyperBench annotation.csv with the vlmhyperbench preset', async () => {
    const legacy = join(fixtures, 'legacy');
    const items = await collect(legacy, { preset: 'vlmhyperbench', file: 'annotation.csv' });
    expect(items[1]).toEqual({
      id: '2',
      image: join(legacy, 'images', '1.jpg'),
      question: 'Write the surname',
      references: ['Ivanova'],
      metadata: {
        data_index: '1',
        split: 'test_clean',
        doc_class: 'passport',
        question_type: 'Surname',
        answer_bbox: '[780, 110, 1060, 170]',
      },
    });
    expect(items.map((item) => item.id)).toEqual(['1', '2', '3']);
  });
});

describe('count', () => {
  it('counts the data rows (records, not lines)', async () => {
    expect(await plugin.count?.({ root: join(fixtures, 'basic') }, parseOptions(plugin, {}), ctx)).toBe(4);
    expect(
      await plugin.count?.(
        { root: join(fixtures, 'legacy') },
        parseOptions(plugin, { preset: 'vlmhyperbench', file: 'annotation.csv' }),
        ctx,
      ),
    ).toBe(3);
  });
});

describe('parseList', () => {
  it('reads JSON and Python lists of strings, and nothing else', () => {
    expect(mod.parseList('["a", "b\\"c"]')).toEqual(['a', 'b"c']);
    expect(mod.parseList("['WER', 'CER', 'BLEU']")).toEqual(['WER', 'CER', 'BLEU']);
    expect(mod.parseList("['it\\'s', \"x\",]")).toEqual(["it's", 'x']);
    expect(mod.parseList('[]')).toEqual([]);
    expect(mod.parseList('[1, 2]')).toBeUndefined();
    expect(mod.parseList("['a' 'b']")).toBeUndefined();
    expect(mod.parseList("['a'] tail")).toBeUndefined();
    expect(mod.parseList("['open")).toBeUndefined();
  });
});
