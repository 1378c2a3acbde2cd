import { z } from '@vhb/sdk';

const column = z.string().min(1);

export const datasetParquetOptions = z.strictObject({
  /** The parquet file, or its shards in order, relative to the dataset root. */
  file: z.union([column, z.array(column).min(1)]).default('data.parquet'),
  /** Which column feeds which item field. */
  columns: z
    .strictObject({
      /** Default: the `id` column, or the row number (1-based, across shards) when there is none; `#row` forces the row number. */
      id: column.optional(),
      /** An HF Image column (`{bytes, path}`), a binary column, or a text column of paths relative to the root. */
      image: column.default('image'),
      question: column.default('question'),
      /** A list of strings (HF `answers`), or one string. Required in the schema. */
      references: column.default('answers'),
      /** Columns copied into metadata; default every other column holding no binary data. */
      metadata: z.array(column).optional(),
    })
    .default({ image: 'image', question: 'question', references: 'answers' }),
  /** Where embedded images are written, relative to the dataset root; must stay inside it. */
  cacheDir: column.default('.vhb-cache/images'),
});
export type DatasetParquetOptions = z.output<typeof datasetParquetOptions>;
