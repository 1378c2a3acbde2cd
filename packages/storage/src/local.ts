import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { VhbError } from '@vhb/sdk';
import { assertKey } from './keys.js';
import type { GetOptions, PutBody, PutOptions, Storage, StoredObject } from './storage.js';

/** Temporary files of `put` carry this marker; listings skip them. */
const TEMP_MARK = '.vhb-put-';

/** A storage in a local folder: keys are paths under `root`. Writes go to a temp file and are renamed. */
export class LocalStorage implements Storage {
  readonly root: string;
  readonly url: string;
  readonly supportsRange = true;

  constructor(root: string) {
    this.root = resolve(root);
    this.url = pathToFileURL(this.root).href;
  }

  private path(key: string): string {
    assertKey(key);
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep)) assertKey('..', `object key ${JSON.stringify(key)}`);
    return full;
  }

  async *list(prefix = '', options: { signal?: AbortSignal } = {}): AsyncIterable<StoredObject> {
    // Walk from the deepest folder the prefix names, not from the root.
    const cut = prefix.lastIndexOf('/');
    const start = cut < 0 ? '' : prefix.slice(0, cut);
    if (start !== '') assertKey(start, 'list prefix');
    yield* this.walk(start, prefix, options.signal);
  }

  private async *walk(folder: string, prefix: string, signal?: AbortSignal): AsyncIterable<StoredObject> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(folder === '' ? this.root : join(this.root, folder), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw ioError(`list ${this.url}/${folder}`, error);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      signal?.throwIfAborted();
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix, signal);
      } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes(TEMP_MARK)) {
        const info = await this.stat(key);
        if (info) yield info;
      }
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const path = this.path(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      return {
        key,
        size: info.size,
        etag: `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`,
        lastModified: info.mtime,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw ioError(`stat ${this.url}/${key}`, error);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const path = this.path(key);
    // Open first, so a missing file is an error here rather than on the stream.
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`${this.url}/${key}`);
      throw ioError(`read ${this.url}/${key}`, error);
    }
    const size = (await handle.stat()).size;
    if (options.start !== undefined && options.start > size) {
      await handle.close();
      throw new VhbError('VHB_E_STORAGE_RANGE', `${this.url}/${key} has ${size} bytes; cannot read from byte ${options.start}`, {
        hint: 'the object is shorter than the range asked for: read it whole',
      });
    }
    return createReadStream('', { fd: handle, start: options.start, end: options.end, signal: options.signal });
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<StoredObject> {
    const path = this.path(key);
    const temp = join(dirname(path), `${TEMP_MARK}${randomUUID()}`);
    try {
      await mkdir(dirname(path), { recursive: true });
      const source = typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
      await pipeline(source, createWriteStream(temp), { signal: options.signal });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw ioError(`write ${this.url}/${key}`, error);
    }
    const info = await this.stat(key);
    if (!info) throw ioError(`write ${this.url}/${key}`, new Error('the file vanished after it was written'));
    return info;
  }

  async delete(key: string): Promise<void> {
    try {
      await rm(this.path(key), { force: true });
    } catch (error) {
      throw ioError(`delete ${this.url}/${key}`, error);
    }
  }
}

function notFound(where: string): VhbError {
  return new VhbError('VHB_E_STORAGE_NOT_FOUND', `${where} does not exist`, {
    hint: 'check the storage URL and the prefix; list the store to see what it holds',
  });
}

function ioError(what: string, cause: unknown): VhbError {
  return new VhbError('VHB_E_STORAGE_IO', `could not ${what}: ${(cause as Error)?.message ?? String(cause)}`, {
    hint: 'check that the folder exists and is readable and writable, and that the disk is not full',
    cause,
  });
}
