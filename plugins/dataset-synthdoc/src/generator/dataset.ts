import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classificationRows, imagePath, ocrRows, toJsonl, vqaRows } from './manifest.js';
import { buildDocuments, SYNTHDOC_SEED, type SynthDoc } from './plan.js';
import { datasetReadme } from './readme.js';
import { canvasMeasure, renderPage } from './render.js';

/** Files the generator writes besides the images. */
export const MANIFEST_FILES = ['ocr-en.jsonl', 'ocr-ru.jsonl', 'vqa.jsonl', 'classification.jsonl'] as const;

export interface GenerateResult {
  outDir: string;
  documents: SynthDoc[];
}

/**
 * Renders the whole dataset into `outDir`: images, manifests and README. Images left over from an
 * earlier generation with other ids are removed, so the folder always matches its manifests.
 */
export async function generateDataset(outDir: string, seed = SYNTHDOC_SEED): Promise<GenerateResult> {
  const documents = buildDocuments(canvasMeasure(), seed);
  const images = join(outDir, 'images');
  await mkdir(images, { recursive: true });
  const keep = new Set(documents.map((doc) => `${doc.id}.png`));
  for (const name of await readdir(images)) {
    if (name.endsWith('.png') && !keep.has(name)) await rm(join(images, name));
  }
  for (const doc of documents) await writeFile(join(outDir, imagePath(doc)), renderPage(doc.page));
  const vqa = vqaRows(documents);
  const files: Record<(typeof MANIFEST_FILES)[number], string> = {
    'ocr-en.jsonl': toJsonl(ocrRows(documents, 'en')),
    'ocr-ru.jsonl': toJsonl(ocrRows(documents, 'ru')),
    'vqa.jsonl': toJsonl(vqa),
    'classification.jsonl': toJsonl(classificationRows(documents)),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
  await writeFile(join(outDir, 'README.md'), datasetReadme(documents, seed, vqa.length));
  return { outDir, documents };
}
