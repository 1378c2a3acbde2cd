import { type DatasetItem, datasetItemSchema, defineDataset, resolveDatasetFile, resolveImage, VhbError } from '@vhb/sdk';
import { parseList } from './lists.js';
import { type DatasetCsvOptions, datasetCsvOptions, type Layout, layoutOf } from './options.js';
import { csvRecords } from './read.js';

/** The header's column positions for the mapped fields. */
interface Columns {
  id: number[] | 'row';
  image: number | undefined;
  question: number | undefined;
  references: number | undefined;
  metadata: Array<[name: string, index: number]>;
  count: number;
}

async function openCsv(rootDir: string, file: string) {
  const found = await resolveDatasetFile(rootDir, file);
  if (!found.ok) throw new VhbError('VHB_E_DATASET_MANIFEST', `CSV file "${file}": ${found.problem}`, { hint: found.hint });
  return found;
}

function columnsOf(header: string[], layout: Layout, path: string): Columns {
  const names = header.map((name) => name.trim());
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new VhbError('VHB_E_DATASET_COLUMN', `${path} line 1: the header names column "${twice}" twice`, {
      hint: 'give every column its own name',
    });
  }
  const missing = (name: string, field: string) =>
    new VhbError('VHB_E_DATASET_COLUMN', `${path}: the header has no column "${name}" for ${field} (columns: ${names.join(', ')})`, {
      hint: `set options.columns.${field} to one of the columns, or add the column`,
    });
  const find = (name: string) => {
    const index = names.indexOf(name);
    return index < 0 ? undefined : index;
  };
  let id: number[] | 'row';
  if (layout.id.length === 1 && layout.id[0] === '#row') id = 'row';
  else {
    id = layout.id.map((name) => {
      const index = find(name);
      if (index === undefined) throw missing(name, 'id');
      return index;
    });
  }
  const field = (which: 'image' | 'question' | 'references') => {
    const index = find(layout[which]);
    if (index === undefined && layout.required.has(which)) throw missing(layout[which], which);
    return index;
  };
  const image = field('image');
  const question = field('question');
  const references = field('references');
  const used = new Set([...(id === 'row' ? [] : id), image, question, references]);
  const metadata: Array<[string, number]> = layout.metadata
    ? layout.metadata.map((name) => {
        const index = find(name);
        if (index === undefined) throw missing(name, 'metadata');
        return [name, index];
      })
    : names.flatMap((name, index): Array<[string, number]> => (used.has(index) ? [] : [[name, index]]));
  return { id, image, question, references, metadata, count: names.length };
}

function referencesOf(cell: string, options: DatasetCsvOptions, where: () => string): string[] {
  const text = cell.trim();
  if (options.lists && text.startsWith('[') && text.endsWith(']')) {
    const list = parseList(text);
    if (list === undefined) {
      throw new VhbError(
        'VHB_E_DATASET_ROW',
        `${where()}: ${JSON.stringify(text.slice(0, 60))} looks like a list but is not a list of strings`,
        {
          hint: 'write the list as JSON (["a","b"]) or a Python list of quoted strings, or set options.lists: false to read the cell as text',
        },
      );
    }
    return list;
  }
  if (cell === '') return [];
  return options.referenceSeparator ? cell.split(options.referenceSeparator) : [cell];
}

/** Items of the CSV file, one per data row, in file order. */
async function* items(source: { root: string }, options: DatasetCsvOptions): AsyncGenerator<DatasetItem> {
  const layout = layoutOf(options);
  const file = await openCsv(source.root, options.file);
  let columns: Columns | undefined;
  let row = 0;
  for await (const { cells, line } of csvRecords(file.path, layout.delimiter)) {
    if (!columns) {
      columns = columnsOf(cells, layout, file.path);
      continue;
    }
    row += 1;
    if (cells.length !== columns.count) {
      throw new VhbError('VHB_E_DATASET_ROW', `${file.path} line ${line}: ${cells.length} cells, the header has ${columns.count} columns`, {
        hint: `check the separator ("${layout.delimiter}") and quote cells that contain it`,
      });
    }
    const cell = (index: number) => cells[index] as string;
    const at = (name: string) => () => `${file.path} line ${line}, column "${name}"`;
    let id: string;
    if (columns.id === 'row') id = String(row);
    else {
      const parts = columns.id.map((index) => cell(index).trim());
      const empty = parts.indexOf('');
      if (empty >= 0) {
        throw new VhbError('VHB_E_DATASET_ROW', `${at(layout.id[empty] as string)()}: the id is empty`, {
          hint: 'give every row an id, or set options.columns.id: "#row" to number the rows',
        });
      }
      id = parts.join(':');
    }
    const item: DatasetItem = {
      id,
      references: columns.references === undefined ? [] : referencesOf(cell(columns.references), options, at(layout.references)),
      metadata: {},
    };
    for (const [name, index] of columns.metadata) if (cell(index) !== '') item.metadata[name] = cell(index);
    if (columns.question !== undefined && cell(columns.question) !== '') item.question = cell(columns.question);
    if (columns.image !== undefined && cell(columns.image).trim() !== '') {
      const image = await resolveImage(file.root, file.realRoot, cell(columns.image).trim());
      if (!image.ok) {
        throw new VhbError('VHB_E_DATASET_IMAGE', `${at(layout.image)()} (id ${id}): ${image.problem}`, {
          hint: 'image paths are relative to the dataset root and must name a file inside it',
        });
      }
      item.image = image.path;
    }
    yield item;
  }
  if (!columns) {
    throw new VhbError('VHB_E_DATASET_COLUMN', `${file.path} is empty: no header row`, {
      hint: 'the first line must name the columns, e.g. id,image,references',
    });
  }
}

export type { DatasetCsvOptions };
export { datasetCsvOptions };

export default defineDataset<DatasetCsvOptions>({
  name: 'csv',
  version: '0.1.0',
  description:
    'Reads dataset items from a CSV file with a header row, one item per row, columns mapped to id, image, question, references and metadata.',
  options: datasetCsvOptions,
  output: datasetItemSchema,
  resources: { type: 'io' },
  items,
  async count(source, options) {
    const file = await openCsv(source.root, options.file);
    let records = 0;
    for await (const _ of csvRecords(file.path, layoutOf(options).delimiter)) records += 1;
    return Math.max(0, records - 1);
  },
});
