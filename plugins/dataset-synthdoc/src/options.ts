import { z } from '@vhb/sdk';
import { DOC_TYPES, type DocType, LANGUAGES, type Language } from './generator/model.js';
import { SYNTHDOC_SEED } from './generator/plan.js';

/** What each generated document becomes: its text, its questions, its type, or its fields as JSON. */
export const SYNTHDOC_TASKS = ['ocr', 'vqa', 'classification', 'kie'] as const;
export type SynthdocTask = (typeof SYNTHDOC_TASKS)[number];

/** The most documents one dataset may have (ids and seeds stay exact far beyond it). */
export const MAX_COUNT = 1_000_000_000;

function distinct<T extends string>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

export const datasetSynthdocOptions = z.strictObject({
  /** The seed every document is drawn from; an unsigned 32-bit integer. */
  seed: z.int().min(0).max(0xffff_ffff).default(SYNTHDOC_SEED),
  /** How many documents to generate (vqa yields one item per question: one or two per document). */
  count: z.int().positive().max(MAX_COUNT),
  /** Document types, taken in turn: document i has type doc_types[i mod n]. */
  doc_types: z
    .array(z.enum(DOC_TYPES))
    .min(1)
    .refine(distinct, 'lists a document type twice')
    .default([...DOC_TYPES]),
  /** Languages, taken in turn after every document type has had one document. */
  languages: z
    .array(z.enum(LANGUAGES))
    .min(1)
    .refine(distinct, 'lists a language twice')
    .default([...LANGUAGES]),
  /** What the items ask: the page's text (ocr), questions (vqa), the type (classification), the fields as JSON (kie). */
  task: z.enum(SYNTHDOC_TASKS).default('ocr'),
});
export type DatasetSynthdocOptions = z.output<typeof datasetSynthdocOptions>;
export type DatasetSynthdocOptionsInput = z.input<typeof datasetSynthdocOptions>;

/**
 * Which type and language document `index` has: types take turns, and the language changes each
 * time every type has had one, so any `doc_types.length * languages.length` consecutive documents
 * hold one of each combination.
 */
export function slotOf(
  index: number,
  options: Pick<DatasetSynthdocOptions, 'doc_types' | 'languages'>,
): { docType: DocType; language: Language } {
  const types = options.doc_types;
  const docType = types[index % types.length] as DocType;
  const language = options.languages[Math.floor(index / types.length) % options.languages.length] as Language;
  return { docType, language };
}
