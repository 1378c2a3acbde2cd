import { join } from 'node:path';
import { checkPlugin, type PluginContext, parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';
import { collect, ctx, fixtures } from './helpers.js';

const plugin = mod.default;

describe('@vhb/dataset-image-folder exports', () => {
  it('exposes the plugin and its helpers, and passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['datasetImageFolderErrorCodes', 'datasetImageFolderOptions', 'default']);
    expect(checkPlugin(plugin, 'dataset').ok).toBe(true);
    expect(plugin.name).toBe('image-folder');
  });

  it('lists every error code it throws', () => {
    expect(Object.keys(mod.datasetImageFolderErrorCodes).sort()).toEqual([
      'VHB_E_DATASET_COLUMN',
      'VHB_E_DATASET_IMAGE',
      'VHB_E_DATASET_MANIFEST',
      'VHB_E_DATASET_ROW',
    ]);
  });
});

describe('options', () => {
  it('defaults to class subfolders of the root, common image extensions, file/label columns', () => {
    expect(parseOptions(plugin, undefined)).toEqual({
      images: '.',
      fileColumn: 'file',
      labelColumn: 'label',
      extensions: ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.tif', '.tiff'],
    });
  });

  it('refuses unknown keys and an extension without its dot', () => {
    expect(() => parseOptions(plugin, { label: 'x.csv' })).toThrow(/label/);
    expect(() => parseOptions(plugin, { extensions: ['png'] })).toThrow(/extensions/);
  });
});

describe('class subfolders', () => {
  const root = join(fixtures, 'folders');

  it('yields every image under <class>/ in name order, nested folders included, with the class as reference and label', async () => {
    const warnings: string[] = [];
    const logging: PluginContext = { ...ctx, logger: { ...ctx.logger, warn: (message) => warnings.push(message) } };
    const items = [];
    for await (const item of plugin.items({ root }, parseOptions(plugin, { images: 'images' }), logging)) items.push(item);
    const image = (path: string) => join(root, 'images', path);
    expect(items).toEqual([
      // a.JPG: extensions match case-insensitively.
      { id: 'cat/a.JPG', image: image('cat/a.JPG'), references: ['cat'], metadata: { label: 'cat' } },
      { id: 'cat/b.png', image: image('cat/b.png'), references: ['cat'], metadata: { label: 'cat' } },
      { id: 'dog/puppies/p1.png', image: image('dog/puppies/p1.png'), references: ['dog'], metadata: { label: 'dog' } },
      { id: 'dog/z.webp', image: image('dog/z.webp'), references: ['dog'], metadata: { label: 'dog' } },
    ]);
    // loose.png (no class) and cat/notes.txt (not an image).
    expect(warnings).toEqual([`${join(root, 'images')}: skipped 2 file(s) outside a class folder or without an image extension`]);
    expect(await plugin.count?.({ root }, parseOptions(plugin, { images: 'images' }), ctx)).toBe(4);
  });

  it('reads only the listed extensions', async () => {
    const items = await collect(root, { images: 'images', extensions: ['.webp'] });
    expect(items.map((item) => item.id)).toEqual(['dog/z.webp']);
  });
});

describe('labels file', () => {
  const root = join(fixtures, 'labels');

  it('reads a CSV: file and label, other non-empty columns as metadata', async () => {
    expect(await collect(root, { labels: 'labels.csv' })).toEqual([
      { id: 'img/1.png', image: join(root, 'img', '1.png'), references: ['receipt'], metadata: { split: 'test', label: 'receipt' } },
      { id: 'img/2.png', image: join(root, 'img', '2.png'), references: ['letter'], metadata: { label: 'letter' } },
      { id: 'img/3.png', image: join(root, 'img', '3.png'), references: ['receipt'], metadata: { split: 'train', label: 'receipt' } },
    ]);
    expect(await plugin.count?.({ root }, parseOptions(plugin, { labels: 'labels.csv' }), ctx)).toBe(3);
  });

  it('reads JSON Lines, skipping blank lines; a number label is written out', async () => {
    expect(await collect(root, { labels: 'labels.jsonl' })).toEqual([
      { id: 'img/2.png', image: join(root, 'img', '2.png'), references: ['form'], metadata: { source: 'scan', label: 'form' } },
      { id: 'img/1.png', image: join(root, 'img', '1.png'), references: ['7'], metadata: { label: '7' } },
    ]);
  });

  it('names files relative to the images folder, with other column names', async () => {
    const items = await collect(root, { labels: 'classes.csv', images: 'img', fileColumn: 'path', labelColumn: 'class' });
    expect(items).toEqual([{ id: '1.png', image: join(root, 'img', '1.png'), references: ['receipt'], metadata: { label: 'receipt' } }]);
  });
});
