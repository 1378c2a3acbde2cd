import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  type DatasetItem,
  datasetItemSchema,
  defineDataset,
  isInside,
  type PluginContext,
  resolveDatasetFile,
  resolveImage,
  VhbError,
} from '@vhb/sdk';
import { folderImages } from './folders.js';
import { labelRows } from './labels.js';
import { type DatasetImageFolderOptions, datasetImageFolderOptions } from './options.js';

/** The dataset root and the images folder, checked to exist and to stay inside the root. */
async function openImages(rootDir: string, images: string): Promise<{ root: string; realRoot: string; dir: string }> {
  const root = resolve(rootDir);
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `dataset root ${root} does not exist`, {
      hint: "check the dataset's path in the datasets registry",
    });
  }
  const dir = resolve(root, images);
  const real = isInside(root, dir) ? await realpath(dir).catch(() => undefined) : undefined;
  if (!isInside(root, dir) || (real !== undefined && !isInside(realRoot, real))) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `images folder "${images}" is outside the dataset root ${root}`, {
      hint: 'name the images folder relative to the dataset root, e.g. images',
    });
  }
  if (real === undefined || !(await stat(real)).isDirectory()) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `images folder ${dir} does not exist or is not a folder`, {
      hint: 'set options.images to the folder holding the images (or the class subfolders)',
    });
  }
  return { root, realRoot, dir };
}

function imageError(where: string, problem: string): VhbError {
  return new VhbError('VHB_E_DATASET_IMAGE', `${where}: ${problem}`, {
    hint: 'image paths are relative to the images folder and must name a file inside the dataset root',
  });
}

/** Items from a labels file: one per row, the image relative to the images folder. */
async function* labelled(source: { root: string }, options: DatasetImageFolderOptions & { labels: string }): AsyncGenerator<DatasetItem> {
  const file = await resolveDatasetFile(source.root, options.labels);
  if (!file.ok) throw new VhbError('VHB_E_DATASET_MANIFEST', `labels file "${options.labels}": ${file.problem}`, { hint: file.hint });
  const images = await openImages(source.root, options.images);
  for await (const row of labelRows(file.path, options.fileColumn, options.labelColumn)) {
    const where = `${file.path} line ${row.line}`;
    const name = typeof row.file === 'string' ? row.file.trim() : '';
    const label = typeof row.label === 'string' || typeof row.label === 'number' ? String(row.label).trim() : '';
    for (const [field, value, cell] of [
      [options.fileColumn, name, row.file],
      [options.labelColumn, label, row.label],
    ] as const) {
      if (!value) {
        throw new VhbError(
          'VHB_E_DATASET_ROW',
          `${where}, column "${field}": empty or not text (got ${JSON.stringify(cell) ?? 'nothing'})`,
          {
            hint: `every row needs a non-empty "${options.fileColumn}" (image path) and "${options.labelColumn}" (its class)`,
          },
        );
      }
    }
    const image = await imageInFolder(images, name);
    if (!image.ok) throw imageError(`${where} (id ${name})`, image.problem);
    yield { id: name, image: image.path, references: [label], metadata: { ...row.rest, label } };
  }
}

/** Resolves an image named relative to the images folder, with the dataset root's escape checks (`..` may leave the images folder, never the root). */
function imageInFolder(images: { root: string; realRoot: string; dir: string }, name: string) {
  if (isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name)) return resolveImage(images.root, images.realRoot, name);
  return resolveImage(images.root, images.realRoot, relative(images.root, resolve(images.dir, name)) || '.');
}

/** Items from class subfolders: `<images>/<class>/<file>`, in name order. */
async function* subfolders(source: { root: string }, options: DatasetImageFolderOptions, ctx: PluginContext): AsyncGenerator<DatasetItem> {
  const images = await openImages(source.root, options.images);
  const skipped = { count: 0 };
  for await (const found of folderImages(images.dir, options.extensions, skipped)) {
    const image = await imageInFolder(images, found.relative);
    if (!image.ok) throw imageError(`${images.dir} (id ${found.relative})`, image.problem);
    yield { id: found.relative, image: image.path, references: [found.label], metadata: { label: found.label } };
  }
  if (skipped.count > 0)
    ctx.logger.warn(`${images.dir}: skipped ${skipped.count} file(s) outside a class folder or without an image extension`);
}

function items(source: { root: string }, options: DatasetImageFolderOptions, ctx: PluginContext): AsyncGenerator<DatasetItem> {
  return options.labels === undefined ? subfolders(source, options, ctx) : labelled(source, { ...options, labels: options.labels });
}

export type { DatasetImageFolderOptions };
export { datasetImageFolderOptions };

export default defineDataset<DatasetImageFolderOptions>({
  name: 'image-folder',
  version: '0.1.0',
  description: 'Reads an image classification dataset: images with a labels file (CSV or JSONL: file,label), or one subfolder per class.',
  options: datasetImageFolderOptions,
  output: datasetItemSchema,
  resources: { type: 'io' },
  items,
  async count(source, options) {
    let count = 0;
    if (options.labels === undefined) {
      const images = await openImages(source.root, options.images);
      for await (const _ of folderImages(images.dir, options.extensions, { count: 0 })) count += 1;
      return count;
    }
    const file = await resolveDatasetFile(source.root, options.labels);
    if (!file.ok) throw new VhbError('VHB_E_DATASET_MANIFEST', `labels file "${options.labels}": ${file.problem}`, { hint: file.hint });
    for await (const _ of labelRows(file.path, options.fileColumn, options.labelColumn)) count += 1;
    return count;
  },
});
