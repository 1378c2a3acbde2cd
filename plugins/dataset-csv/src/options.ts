import { z } from '@vhb/sdk';

const column = z.string().min(1);

export const datasetCsvOptions = z.strictObject({
  /** The CSV file, relative to the dataset root. */
  file: z.string().min(1).default('manifest.csv'),
  /** `vlmhyperbench`: the legacy Python VLMHyperBench layout (`;` separator, image_path/question/answer columns). */
  preset: z.enum(['vlmhyperbench']).optional(),
  /** Cell separator; `,` unless the preset says otherwise. */
  delimiter: z.string().min(1).optional(),
  /** Which column feeds which item field; unset fields take the defaults (or the preset's). */
  columns: z
    .strictObject({
      /** A column, several joined with `:`, or `#row` for the data row number (1 = first row after the header). */
      id: z.union([column, z.array(column).min(1)]).optional(),
      image: column.optional(),
      question: column.optional(),
      references: column.optional(),
      /** Columns copied into metadata; default every column not mapped above. */
      metadata: z.array(column).optional(),
    })
    .default({}),
  /** Splits a references cell into several answers, e.g. `|`. */
  referenceSeparator: z.string().min(1).optional(),
  /** A references cell written as a list (`["a","b"]`, or `['a', 'b']` as Python writes it) is read as several answers. */
  lists: z.boolean().default(true),
});
export type DatasetCsvOptions = z.output<typeof datasetCsvOptions>;

/** The column mapping in force once defaults and the preset are applied. */
export interface Layout {
  delimiter: string;
  id: string[];
  image: string;
  question: string;
  references: string;
  metadata: string[] | undefined;
  /** Fields the user named, which must then be in the header; defaults may be absent. */
  required: Set<'image' | 'question' | 'references'>;
}

interface Defaults {
  delimiter: string;
  id: string[];
  image: string;
  question: string;
  references: string;
}

const DEFAULTS: Defaults = { delimiter: ',', id: ['id'], image: 'image', question: 'question', references: 'references' };
const PRESETS: Record<'vlmhyperbench', Defaults> = {
  vlmhyperbench: { delimiter: ';', id: ['#row'], image: 'image_path', question: 'question', references: 'answer' },
};

/** Applies defaults and the preset to the options. */
export function layoutOf(options: DatasetCsvOptions): Layout {
  const base = options.preset ? PRESETS[options.preset] : DEFAULTS;
  const { columns } = options;
  const required = new Set<'image' | 'question' | 'references'>(['references']);
  for (const field of ['image', 'question'] as const) if (columns[field] !== undefined) required.add(field);
  const id = columns.id ?? base.id;
  return {
    delimiter: options.delimiter ?? base.delimiter,
    id: Array.isArray(id) ? [...id] : [id],
    image: columns.image ?? base.image,
    question: columns.question ?? base.question,
    references: columns.references ?? base.references,
    metadata: columns.metadata,
    required,
  };
}
