import { type DatasetItem, datasetItemSchema, defineDataset, resolveDatasetFile, resolveImage, VhbError } from '@vhb/sdk';
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
} from 'hyparquet';
import { ImageCache } from './images.js';
import { type DatasetParquetOptions, datasetParquetOptions } from './options.js';
import { asMetadata, asText, isBytes, show } from './values.js';

/** One opened shard: its path, the footer and the top-level column names. */
interface Shard {
  path: string;
  file: AsyncBuffer;
  metadata: FileMetaData;
  names: string[];
}

/** The columns a shard's rows are read through. */
interface Mapping {
  id: string | undefined;
  image: string | undefined;
  question: string | undefined;
  references: string;
  metadata: string[] | undefined;
}

const files = (options: DatasetParquetOptions) => (Array.isArray(options.file) ? options.file : [options.file]);

async function openShard(rootDir: string, name: string): Promise<Shard & { root: string; realRoot: string }> {
  const found = await resolveDatasetFile(rootDir, name);
  if (!found.ok) throw new VhbError('VHB_E_DATASET_MANIFEST', `parquet file "${name}": ${found.problem}`, { hint: found.hint });
  const file = await asyncBufferFromFile(found.path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (cause) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `${found.path} is not a readable parquet file (${(cause as Error).message})`, {
      hint: 'give a .parquet file as written by pyarrow, pandas or Hugging Face datasets',
      cause,
    });
  }
  const names = parquetSchema(metadata).children.map((child) => child.element.name);
  return { ...found, file, metadata, names };
}

function mappingOf(shard: Shard, options: DatasetParquetOptions): Mapping {
  const { columns } = options;
  const has = (name: string) => shard.names.includes(name);
  const need = (name: string, field: string) => {
    if (!has(name)) {
      throw new VhbError('VHB_E_DATASET_COLUMN', `${shard.path}: no column "${name}" for ${field} (columns: ${shard.names.join(', ')})`, {
        hint: `set options.columns.${field} to one of the columns`,
      });
    }
    return name;
  };
  let id: string | undefined;
  if (columns.id === undefined) id = has('id') ? 'id' : undefined;
  else if (columns.id !== '#row') id = need(columns.id, 'id');
  const mapping: Mapping = {
    id,
    image: has(columns.image) ? columns.image : undefined,
    question: has(columns.question) ? columns.question : undefined,
    references: need(columns.references, 'references'),
    metadata: columns.metadata?.map((name) => need(name, 'metadata')),
  };
  return mapping;
}

function referencesOf(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((member) => {
    const text = asText(member);
    if (text === undefined) {
      throw new VhbError('VHB_E_DATASET_ROW', `${where}: references must be text or a list of text, got ${show(value)}`, {
        hint: 'map options.columns.references to a string or list-of-strings column (answers, answer, label)',
      });
    }
    return text;
  });
}

/** Items of the parquet file(s), one per row, read a row group at a time. */
async function* items(source: { root: string }, options: DatasetParquetOptions): AsyncGenerator<DatasetItem> {
  let row = 0;
  let cache: ImageCache | undefined;
  for (const name of files(options)) {
    const shard = await openShard(source.root, name);
    const mapping = mappingOf(shard, options);
    const used = new Set([mapping.id, mapping.image, mapping.question, mapping.references]);
    // With an explicit metadata list only the mapped columns are read; otherwise every column is.
    const columns = mapping.metadata ? [...new Set([...used, ...mapping.metadata])].filter((c): c is string => c !== undefined) : undefined;
    let groupStart = 0;
    for (const group of shard.metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({
          file: shard.file,
          metadata: shard.metadata,
          rowStart: groupStart,
          rowEnd: groupEnd,
          utf8: false,
          ...(columns ? { columns } : {}),
        });
      } catch (cause) {
        throw new VhbError(
          'VHB_E_DATASET_MANIFEST',
          `${shard.path}: cannot read rows ${groupStart + 1}-${groupEnd} (${(cause as Error).message})`,
          {
            hint: 'the file may be truncated or use a compression this reader lacks; re-save it with pyarrow (snappy)',
            cause,
          },
        );
      }
      for (const [offset, cells] of rows.entries()) {
        row += 1;
        const place = `${shard.path} row ${groupStart + offset + 1}`;
        const id = mapping.id === undefined ? String(row) : asText(cells[mapping.id])?.trim();
        if (!id) {
          throw new VhbError(
            'VHB_E_DATASET_ROW',
            `${place}, column "${mapping.id}": the id is empty (got ${show(cells[mapping.id as string])})`,
            {
              hint: 'map options.columns.id to a column with a value in every row, or set it to "#row"',
            },
          );
        }
        const item: DatasetItem = {
          id,
          references: referencesOf(cells[mapping.references], `${place}, column "${mapping.references}" (id ${id})`),
          metadata: {},
        };
        const question = mapping.question === undefined ? undefined : asText(cells[mapping.question]);
        if (question !== undefined) item.question = question;
        for (const [key, value] of Object.entries(cells)) {
          if (mapping.metadata ? !mapping.metadata.includes(key) : used.has(key)) continue;
          const converted = asMetadata(value);
          if (converted !== undefined && !(mapping.metadata === undefined && hasBytes(value))) item.metadata[key] = converted;
        }
        if (mapping.image !== undefined) {
          const where = `${place}, column "${mapping.image}" (id ${id})`;
          const image = imageOf(cells[mapping.image], where);
          if (image?.bytes) {
            cache ??= await ImageCache.open(shard.root, shard.realRoot, options.cacheDir);
            item.image = await cache.put(image.bytes, image.path);
          } else if (image?.path !== undefined) {
            const checked = await resolveImage(shard.root, shard.realRoot, image.path);
            if (!checked.ok) {
              throw new VhbError('VHB_E_DATASET_IMAGE', `${where}: ${checked.problem}`, {
                hint: 'an image stored as a path is relative to the dataset root and must name a file inside it',
              });
            }
            item.image = checked.path;
          }
        }
        yield item;
      }
      groupStart = groupEnd;
    }
  }
}

/** A struct holding binary data (an image column) is kept out of the default metadata. */
function hasBytes(value: unknown): boolean {
  return isBytes(value) || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some(isBytes));
}

/** Reads an image cell: HF's `{bytes, path}` struct, raw bytes, or a path; undefined for an empty cell. */
function imageOf(value: unknown, where: string): { bytes?: Uint8Array; path?: string } | undefined {
  if (value === null || value === undefined) return undefined;
  if (isBytes(value)) return value.byteLength > 0 ? { bytes: value } : undefined;
  if (typeof value === 'string') return value === '' ? undefined : { path: value };
  if (typeof value === 'object' && !Array.isArray(value) && ('bytes' in value || 'path' in value)) {
    const { bytes, path } = value as { bytes?: unknown; path?: unknown };
    const name = path === null || path === undefined ? undefined : asText(path);
    if (isBytes(bytes) && bytes.byteLength > 0) return name === undefined ? { bytes } : { bytes, path: name };
    if (bytes === null || bytes === undefined) return name ? { path: name } : undefined;
  }
  throw new VhbError('VHB_E_DATASET_IMAGE', `${where}: expected an image ({bytes, path}, bytes or a path), got ${show(value)}`, {
    hint: 'map options.columns.image to the Image column of the dataset',
  });
}

export type { DatasetParquetOptions };
export { datasetParquetOptions };

export default defineDataset<DatasetParquetOptions>({
  name: 'parquet',
  version: '0.1.0',
  description:
    'Reads dataset items from Hugging Face parquet files a row group at a time; embedded images are written once to a cache folder in the dataset root.',
  options: datasetParquetOptions,
  output: datasetItemSchema,
  resources: { type: 'io' },
  items,
  async count(source, options) {
    let rows = 0;
    for (const name of files(options)) rows += Number((await openShard(source.root, name)).metadata.num_rows);
    return rows;
  },
});
