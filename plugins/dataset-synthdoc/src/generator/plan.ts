import { generators } from './content/docs.js';
import { en } from './content/en.js';
import type { Locale } from './content/locale.js';
import { ru } from './content/ru.js';
import { layout, type Measure, type Page, pageText } from './layout.js';
import type { DocSpec, DocType, Language } from './model.js';
import { Rng } from './prng.js';

/** The seed the committed dataset was generated with. */
export const SYNTHDOC_SEED = 1729;

/** How many documents of each type, per language: 30 English, 10 Russian. */
export const PLAN: Record<Language, Record<DocType, number>> = {
  en: { receipt: 8, form: 8, letter: 7, invoice: 7 },
  ru: { receipt: 3, form: 3, letter: 2, invoice: 2 },
};

const LOCALES: Record<Language, Locale> = { en, ru };

/** One generated document, laid out, with its ground truth. */
export interface SynthDoc {
  id: string;
  spec: DocSpec;
  page: Page;
  /** Exact ground truth: the page's lines, top to bottom, joined by "\n". */
  text: string;
}

/**
 * Each document draws from its own stream, seeded from the run seed and its position, so a
 * change to one generator never reshuffles the content of the others.
 */
export function docSeed(seed: number, index: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** The content of document `index` (0-based) of type `docType` in `language`, before layout. Pure and cheap. */
export function documentSpec(seed: number, index: number, docType: DocType, language: Language): DocSpec {
  return generators[docType](LOCALES[language], new Rng(docSeed(seed, index)));
}

/**
 * Generates and lays out one document. Throws when an answer or a field value is not drawn on
 * the page: the ground truth would then lie about the image.
 */
export function makeDocument(measure: Measure, seed: number, index: number, docType: DocType, language: Language, id: string): SynthDoc {
  const spec = documentSpec(seed, index, docType, language);
  const page = layout(spec.blocks, measure);
  const text = pageText(page);
  for (const { answer } of spec.questions) {
    if (!text.includes(answer)) throw new Error(`synthdoc: answer "${answer}" is not drawn on the ${docType} it is asked about`);
  }
  for (const [name, value] of Object.entries(spec.fields)) {
    if (!text.includes(value)) throw new Error(`synthdoc: field ${name} = "${value}" is not drawn on the ${docType} it belongs to`);
  }
  return { id, spec, page, text };
}

/** Generates and lays out every document of the plan, in id order. Pure: no clock, no files. */
export function buildDocuments(measure: Measure, seed = SYNTHDOC_SEED): SynthDoc[] {
  const slots: { language: Language; docType: DocType }[] = [];
  for (const language of Object.keys(PLAN) as Language[]) {
    for (const [docType, count] of Object.entries(PLAN[language]) as [DocType, number][]) {
      for (let i = 0; i < count; i++) slots.push({ language, docType });
    }
  }
  // Interleave types and languages so that a `limit` on the dataset still sees a mix.
  const order = new Rng(seed).shuffle(slots);
  return order.map(({ language, docType }, index) =>
    makeDocument(measure, seed, index, docType, language, `doc-${String(index + 1).padStart(3, '0')}`),
  );
}
