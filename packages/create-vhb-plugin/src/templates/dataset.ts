import type { KindTemplate } from './types.js';

export const dataset: KindTemplate = {
  kind: 'dataset',
  description: 'Image folder: one item per image, its reference in a .txt file of the same name',
  contract:
    '`export default defineDataset({ name, version, description, options?, items(source, options, ctx), count?(source, options, ctx) })`: `items` yields `{ id, image?, question?, references, metadata }` in a stable order, image paths absolute and inside `source.root`.',
  index: ({ pluginName }) => `import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type DatasetItem, defineDataset, z } from '@vhb/sdk';

/** Options, validated by the host before the dataset sees them. */
export const optionsSchema = z
  .object({
    /** Image file extensions to pick up, lowercase, with the dot. */
    extensions: z.array(z.string().startsWith('.')).default(['.png', '.jpg', '.jpeg']),
  })
  .strict();
export type ImageFolderOptions = z.infer<typeof optionsSchema>;

/** The images of a folder that have a reference file beside them, sorted by name. */
export async function imageFolderItems(root: string, options: ImageFolderOptions): Promise<DatasetItem[]> {
  const names = (await readdir(root)).sort();
  const present = new Set(names);
  const items: DatasetItem[] = [];
  for (const name of names) {
    const extension = extname(name);
    if (!options.extensions.includes(extension.toLowerCase())) continue;
    const stem = name.slice(0, name.length - extension.length);
    if (!present.has(stem + '.txt')) continue;
    const reference = (await readFile(join(root, stem + '.txt'), 'utf8')).trim();
    items.push({ id: stem, image: join(root, name), references: [reference], metadata: { file: name } });
  }
  return items;
}

export default defineDataset<ImageFolderOptions>({
  name: '${pluginName}',
  version: '0.1.0',
  description: 'Image folder: one item per image, its reference in a .txt file of the same name',
  options: optionsSchema,
  async *items(source, options) {
    yield* await imageFolderItems(source.root, options);
  },
  async count(source, options) {
    return (await imageFolderItems(source.root, options)).length;
  },
});
`,
  test: ({ pluginName }) => `import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPlugin } from '@vhb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const dataset = mod.default;
const ctx = { logger: { debug() {}, info() {}, warn() {} }, env: {} };
let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), '${pluginName}-'));
  // b.jpg and a.PNG have references; c.png has none; notes.md is no image.
  for (const [name, text] of [
    ['b.jpg', ''],
    ['b.txt', 'Москва\\n'],
    ['a.PNG', ''],
    ['a.txt', '  北京 👍 '],
    ['c.png', ''],
    ['notes.md', 'not an image'],
  ]) {
    await writeFile(join(root, name as string), text as string);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('${pluginName}', () => {
  it('exports the plugin and its helpers, and the plugin passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'imageFolderItems', 'optionsSchema']);
    expect(checkPlugin(dataset, 'dataset').ok).toBe(true);
  });

  it('yields one item per image with a reference, sorted by file name, references trimmed', async () => {
    const options = mod.optionsSchema.parse({});
    const items = [];
    for await (const item of dataset.items({ root }, options, ctx)) items.push(item);
    expect(items).toEqual([
      { id: 'a', image: join(root, 'a.PNG'), references: ['北京 👍'], metadata: { file: 'a.PNG' } },
      { id: 'b', image: join(root, 'b.jpg'), references: ['Москва'], metadata: { file: 'b.jpg' } },
    ]);
    expect(await dataset.count?.({ root }, options, ctx)).toBe(2);
  });

  it('picks up only the extensions asked for', async () => {
    const items = await mod.imageFolderItems(root, { extensions: ['.jpg'] });
    expect(items.map((item) => item.id)).toEqual(['b']);
  });
});
`,
  usage: () => `The example dataset reads a folder: every image (\`.png\`, \`.jpg\`, \`.jpeg\` by default; option
\`extensions\`) that has a \`.txt\` file of the same name becomes one item, id = the file stem,
reference = the text file, trimmed. Items come sorted by file name so runs are reproducible.`,
};
