import { writeSync } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { PredictionRecord } from '../data.js';

/** Opens a JSONL file for appending, first ending a torn last line so the next record starts clean. */
export async function openForAppend(path: string): Promise<FileHandle> {
  const handle = await open(path, 'a');
  const size = (await stat(path)).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    const reader = await open(path, 'r');
    await reader.read(last, 0, 1, size - 1).finally(() => reader.close());
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  return handle;
}

/**
 * Appends prediction records to predictions.jsonl in batches and publishes each record only once
 * its line is in the file. Records added in one turn of the event loop go out together in one
 * write at `setImmediate` (after the turn's answers were all handled); `drain()` writes what is
 * queued at once. Callers do not wait for the write: the worker that answered an item sends its
 * next request at once. A SIGKILL can therefore lose only the lines of the current turn, whose
 * items were never published as done; a resume asks them again.
 *
 * The write is synchronous (`fs.writeSync` on the open descriptor): a batch of lines into the page
 * cache takes a few microseconds, where the promise API's hand-off to libuv's thread pool costs
 * 35–60 µs of CPU per write on our 2-core machines — more than the rest of an item's handling.
 */
export class PredictionWriter {
  readonly #fd: number;
  readonly #publish: (record: PredictionRecord) => void;
  #lines: string[] = [];
  #records: PredictionRecord[] = [];
  #scheduled = false;
  #closed = false;
  #error: unknown;
  readonly #flush = () => {
    this.#scheduled = false;
    this.#write();
  };

  /** `publish` is called once per record, in file order, after its line was written. */
  constructor(handle: FileHandle, publish: (record: PredictionRecord) => void) {
    this.#fd = handle.fd;
    this.#publish = publish;
  }

  /** Queues a record; throws the error of an earlier write that failed (the run cannot go on). */
  add(record: PredictionRecord): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#closed) throw new Error(`prediction ${record.id} came after predictions.jsonl was closed`);
    this.#lines.push(JSON.stringify(record));
    this.#records.push(record);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Writes and publishes every record added so far; throws a write's error. */
  drain(): void {
    this.#write();
    if (this.#error !== undefined) throw this.#error;
  }

  /** Writes what is queued, then takes no more: the descriptor is about to be closed (and its number reused). */
  close(): void {
    try {
      this.drain();
    } finally {
      this.#closed = true;
    }
  }

  #write(): void {
    if (this.#lines.length === 0 || this.#error !== undefined || this.#closed) return;
    const lines = this.#lines;
    const records = this.#records;
    this.#lines = [];
    this.#records = [];
    try {
      writeAll(this.#fd, `${lines.join('\n')}\n`);
      for (const record of records) this.#publish(record);
    } catch (error) {
      this.#error = error;
    }
  }
}

/** Writes all of `text` (writeSync may write less than asked). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
