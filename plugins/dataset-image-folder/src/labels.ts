import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { VhbError } from '@vhb/sdk';
import { type CsvError, parse } from 'csv-parse';

/** One labels row: its line, the file and label cells, and the other fields. */
export interface LabelRow {
  line: number;
  file: unknown;
  label: unknown;
  rest: Record<string, unknown>;
}

/** Streams a labels file's rows: CSV with a header row, or JSON Lines, by extension. */
export function labelRows(path: string, fileColumn: string, labelColumn: string): AsyncGenerator<LabelRow> {
  return extname(path).toLowerCase() === '.jsonl' ? jsonlRows(path, fileColumn, labelColumn) : csvRows(path, fileColumn, labelColumn);
}

function split(record: Record<string, unknown>, fileColumn: string, labelColumn: string, line: number): LabelRow {
  const { [fileColumn]: file, [labelColumn]: label, ...rest } = record;
  return { line, file, label, rest };
}

async function* csvRows(path: string, fileColumn: string, labelColumn: string): AsyncGenerator<LabelRow> {
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((name) => name.trim());
        for (const column of [fileColumn, labelColumn]) {
          if (!header.includes(column)) {
            throw new VhbError('VHB_E_DATASET_COLUMN', `${path}: the header has no column "${column}" (columns: ${header.join(', ')})`, {
              hint: 'the labels CSV needs a header with file and label columns, or set options.fileColumn / labelColumn',
            });
          }
        }
        continue;
      }
      if (record.length !== header.length) {
        throw new VhbError(
          'VHB_E_DATASET_ROW',
          `${path} line ${info.lines}: ${record.length} cells, the header has ${header.length} columns`,
          {
            hint: 'quote cells that contain a comma',
          },
        );
      }
      const row: Record<string, unknown> = {};
      for (const [i, name] of header.entries()) if (record[i] !== '' || name === fileColumn || name === labelColumn) row[name] = record[i];
      yield split(row, fileColumn, labelColumn, info.lines);
    }
  } catch (cause) {
    const error = cause as CsvError & { lines?: number };
    if (error.code?.startsWith('CSV_')) {
      throw new VhbError('VHB_E_DATASET_ROW', `${path} line ${error.lines ?? '?'}: not valid CSV (${error.message})`, {
        hint: 'quote cells that hold a comma, a quote or a line break',
        cause,
      });
    }
    throw cause;
  } finally {
    parser.destroy();
    input.destroy();
  }
}

async function* jsonlRows(path: string, fileColumn: string, labelColumn: string): AsyncGenerator<LabelRow> {
  const input = createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!text.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new VhbError('VHB_E_DATASET_ROW', `${path} line ${line}: not valid JSON (${(cause as Error).message})`, {
          hint: `each line must be one object like {"${fileColumn}": "cat/1.png", "${labelColumn}": "cat"}`,
          cause,
        });
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new VhbError('VHB_E_DATASET_ROW', `${path} line ${line}: expected a JSON object`, {
          hint: `each line must be one object like {"${fileColumn}": "cat/1.png", "${labelColumn}": "cat"}`,
        });
      }
      yield split(json as Record<string, unknown>, fileColumn, labelColumn, line);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
