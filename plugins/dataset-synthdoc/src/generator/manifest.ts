import type { DocType, Language } from './model.js';
import type { SynthDoc } from './plan.js';

/** One line of a synthdoc manifest (the shape @vhb/dataset-jsonl reads). */
export interface ManifestRow {
  id: string;
  image: string;
  question?: string;
  references: string[];
  doc_type: DocType;
  language: Language;
}

export function imagePath(doc: SynthDoc): string {
  return `images/${doc.id}.png`;
}

/** OCR rows: the full ground-truth text of each page. */
export function ocrRows(docs: readonly SynthDoc[], language: Language): ManifestRow[] {
  return docs
    .filter((doc) => doc.spec.language === language)
    .map((doc) => ({ id: doc.id, image: imagePath(doc), references: [doc.text], doc_type: doc.spec.docType, language }));
}

/** VQA rows: each question about a page, answered by text drawn on it. */
export function vqaRows(docs: readonly SynthDoc[]): ManifestRow[] {
  return docs.flatMap((doc) =>
    doc.spec.questions.map((q, i) => ({
      id: `${doc.id}-q${i + 1}`,
      image: imagePath(doc),
      question: q.question,
      references: [q.answer],
      doc_type: doc.spec.docType,
      language: doc.spec.language,
    })),
  );
}

/** Classification rows: the document type is the label. */
export function classificationRows(docs: readonly SynthDoc[]): ManifestRow[] {
  return docs.map((doc) => ({
    id: doc.id,
    image: imagePath(doc),
    references: [doc.spec.docType],
    doc_type: doc.spec.docType,
    language: doc.spec.language,
  }));
}

/** JSON Lines text: one row per line, a final newline. */
export function toJsonl(rows: readonly ManifestRow[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}
