/** What a generated document is made of, before layout: blocks in reading order. */

export type DocType = 'receipt' | 'form' | 'letter' | 'invoice';
export type Language = 'en' | 'ru';

/** One piece of text in a row, anchored at a fraction of the text width (0 = left margin, 1 = right margin). */
export interface Cell {
  text: string;
  bold?: boolean;
  /** Where the cell is anchored, as a fraction of the text width between the margins. */
  at: number;
  /** Which side of the cell sits on the anchor. */
  align: 'left' | 'right' | 'center';
}

export type Block =
  /** A single line of cells; throws at layout when cells overlap or leave the page. */
  | { kind: 'row'; cells: Cell[]; size?: number }
  /** Running text, wrapped to the text width. */
  | { kind: 'paragraph'; text: string; size?: number }
  /** A thin horizontal line; carries no text. */
  | { kind: 'rule' }
  /** Vertical space; carries no text. */
  | { kind: 'gap' };

/** A question about a document, answered by text that is drawn on it. */
export interface Question {
  question: string;
  answer: string;
}

/** The document types and languages the generator knows, in their canonical order. */
export const DOC_TYPES = ['receipt', 'invoice', 'form', 'letter'] as const satisfies readonly DocType[];
export const LANGUAGES = ['en', 'ru'] as const satisfies readonly Language[];

export interface DocSpec {
  docType: DocType;
  language: Language;
  blocks: Block[];
  questions: Question[];
  /**
   * Key-value ground truth for extraction (KIE): field name → the value exactly as drawn on the
   * page. Every document of a type has the same fields, in the same order (see FIELDS).
   */
  fields: Record<string, string>;
}

/** The KIE fields of each document type, in the order the reference JSON lists them. */
export const FIELDS = {
  receipt: ['merchant', 'date', 'time', 'total'],
  invoice: ['number', 'date', 'due_date', 'vendor', 'customer', 'total'],
  form: ['name', 'birth_date', 'city', 'phone', 'occupation', 'date'],
  letter: ['sender', 'recipient', 'signer', 'date'],
} as const satisfies Record<DocType, readonly string[]>;

/** Shorthands for the rows the generators use most. */
export const row = {
  left: (text: string, bold = false, size?: number): Block => ({ kind: 'row', size, cells: [{ text, bold, at: 0, align: 'left' }] }),
  center: (text: string, bold = false, size?: number): Block => ({ kind: 'row', size, cells: [{ text, bold, at: 0.5, align: 'center' }] }),
  right: (text: string, bold = false, size?: number): Block => ({ kind: 'row', size, cells: [{ text, bold, at: 1, align: 'right' }] }),
  /** Text on the left, text flush right: receipt lines, totals. */
  pair: (left: string, right: string, bold = false): Block => ({
    kind: 'row',
    cells: [
      { text: left, bold, at: 0, align: 'left' },
      { text: right, bold, at: 1, align: 'right' },
    ],
  }),
  /** A bold label, then its value starting at a fixed column: form fields. */
  field: (label: string, value: string, column: number): Block => ({
    kind: 'row',
    cells: [
      { text: label, bold: true, at: 0, align: 'left' },
      { text: value, at: column, align: 'left' },
    ],
  }),
};
