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
function docSeed(seed: number, index: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
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
  return order.map(({ language, docType }, index) => {
    const spec = generators[docType](LOCALES[language], new Rng(docSeed(seed, index)));
    const page = layout(spec.blocks, measure);
    const text = pageText(page);
    for (const { answer } of spec.questions) {
      if (!text.includes(answer)) throw new Error(`synthdoc: answer "${answer}" is not drawn on the ${docType} it is asked about`);
    }
    return { id: `doc-${String(index + 1).padStart(3, '0')}`, spec, page, text };
  });
}
