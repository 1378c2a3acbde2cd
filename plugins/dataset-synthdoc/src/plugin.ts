import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DatasetItem, type DatasetSource, datasetItemSchema, defineDataset, VhbError } from '@vhb/sdk';
import { ensureImage, imagePathFor } from './cache.js';
import { FIELDS } from './generator/model.js';
import { documentSpec, makeDocument, type SynthDoc } from './generator/plan.js';
import { canvasMeasure, renderPageAsync } from './generator/render.js';
import { type DatasetSynthdocOptions, datasetSynthdocOptions, slotOf } from './options.js';

/** The id of document `index` (0-based): `doc-000000`, `doc-000001`, ... (more digits past a million). */
export function documentId(index: number): string {
  return `doc-${String(index).padStart(6, '0')}`;
}

/** The items one document becomes under `task`. */
function itemsOf(doc: SynthDoc, image: string, options: DatasetSynthdocOptions, index: number): DatasetItem[] {
  const { docType, language } = doc.spec;
  const metadata = { doc_type: docType, language, seed: options.seed, index };
  switch (options.task) {
    case 'ocr':
      return [{ id: doc.id, image, references: [doc.text], metadata }];
    case 'classification':
      return [{ id: doc.id, image, references: [docType], metadata }];
    case 'kie':
      return [
        {
          id: doc.id,
          image,
          references: [JSON.stringify(doc.spec.fields)],
          metadata: { ...metadata, fields: FIELDS[docType].join(', ') },
        },
      ];
    case 'vqa':
      return doc.spec.questions.map((q, i) => ({
        id: `${doc.id}-q${i + 1}`,
        image,
        question: q.question,
        references: [q.answer],
        metadata,
      }));
  }
}

/**
 * Generates the documents one at a time, in index order: lays each out, renders its image into the
 * cache unless it is there already, and yields its items before generating the next. Memory does
 * not grow with `count`.
 */
async function* items(source: DatasetSource, options: DatasetSynthdocOptions): AsyncGenerator<DatasetItem> {
  const root = resolve(source.root);
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw new VhbError('VHB_E_DATASET_CACHE', `synthdoc: cannot create the dataset folder ${root}: ${(error as Error).message}`, {
      hint: "point the dataset's path at a folder this process may write to (generated images are cached there)",
      cause: error,
    });
  }
  const measure = canvasMeasure();
  for (let index = 0; index < options.count; index++) {
    const { docType, language } = slotOf(index, options);
    const doc = makeDocument(measure, options.seed, index, docType, language, documentId(index));
    const image = imagePathFor(root, { seed: options.seed, index, docType, language });
    await ensureImage(image, () => renderPageAsync(doc.page));
    yield* itemsOf(doc, image, options, index);
  }
}

/** Items without rendering or layout: `count` documents, or their questions for vqa. */
async function count(_source: DatasetSource, options: DatasetSynthdocOptions): Promise<number> {
  if (options.task !== 'vqa') return options.count;
  let questions = 0;
  for (let index = 0; index < options.count; index++) {
    const { docType, language } = slotOf(index, options);
    questions += documentSpec(options.seed, index, docType, language).questions.length;
  }
  return questions;
}

export default defineDataset<DatasetSynthdocOptions>({
  name: 'synthdoc',
  version: '0.1.0',
  description:
    'Generates receipts, invoices, forms and letters in English and Russian on the fly, deterministic from a seed, with ground truth for OCR, VQA, classification and key-value extraction.',
  options: datasetSynthdocOptions,
  output: datasetItemSchema,
  // Laying out and drawing pages is CPU work; the cache makes a second pass mostly reading.
  resources: { type: 'cpu', cpus: 1 },
  items: (source, options) => items(source, options),
  count,
});
