import { createReadStream } from 'node:fs';
import { VhbError } from '@vhb/sdk';
import { type CsvError, parse } from 'csv-parse';

/** One parsed record with the line it ends on (1-based). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Streams a CSV file's records, the header included, as csv-parse reads them: one chunk of the
 * file in memory at a time. Blank lines are skipped and a byte-order mark is dropped. A quoting
 * error becomes VHB_E_DATASET_ROW naming the file and line. Stopping early closes the file.
 */
export async function* csvRecords(path: string, delimiter: string): AsyncGenerator<CsvRecord> {
  const input = createReadStream(path);
  const parser = input.pipe(parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: record, line: info.lines };
    }
  } catch (cause) {
    const error = cause as CsvError & { lines?: number };
    if (error.code?.startsWith('CSV_')) {
      throw new VhbError('VHB_E_DATASET_ROW', `${path} line ${error.lines ?? '?'}: not valid CSV (${error.message})`, {
        hint: 'quote cells that hold the separator, a quote or a line break, and double the quotes inside them ("say ""hi""")',
        cause,
      });
    }
    throw cause;
  } finally {
    parser.destroy();
    input.destroy();
  }
}
