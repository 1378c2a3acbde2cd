import { type DatasetItem, datasetItemSchema, defineDataset, resolveImage, VhbError, z } from '@vhb/sdk';
import { locateManifest, numberedLines } from './manifest.js';
import { manifestRowSchema, parseRow } from './row.js';

export const datasetJsonlOptions = z.strictObject({
  /** Manifest path relative to the dataset root. */
  manifest: z.string().min(1).default('manifest.jsonl'),
});
export type DatasetJsonlOptions = z.infer<typeof datasetJsonlOptions>;

/** Items of a JSON Lines manifest, in file order, with image paths made absolute. */
async function* items(source: { root: string }, options: DatasetJsonlOptions): AsyncGenerator<DatasetItem> {
  const manifest = await locateManifest(source.root, options.manifest);
  for await (const { line, text } of numberedLines(manifest.path)) {
    if (!text.trim()) continue;
    const item = parseRow(text, { manifest: manifest.path, line });
    if (item.image !== undefined) {
      const image = await resolveImage(manifest.root, manifest.realRoot, item.image);
      if (!image.ok) {
        throw new VhbError('VHB_E_DATASET_IMAGE', `${manifest.path} line ${line} (id ${item.id}): ${image.problem}`, {
          hint: 'image paths are relative to the dataset root and must name a file inside it',
        });
      }
      item.image = image.path;
    }
    yield item;
  }
}

export default defineDataset<DatasetJsonlOptions>({
  name: 'jsonl',
  version: '0.1.0',
  description: 'Reads dataset items from a JSON Lines manifest, one item per line, images relative to the dataset root.',
  options: datasetJsonlOptions,
  input: manifestRowSchema,
  output: datasetItemSchema,
  resources: { type: 'io' },
  items,
  async count(source, options) {
    const manifest = await locateManifest(source.root, options.manifest);
    let count = 0;
    for await (const { text } of numberedLines(manifest.path)) if (text.trim()) count += 1;
    return count;
  },
});
