import type { Readable } from 'node:stream';

/** One stored object as a listing or `stat` sees it. */
export interface StoredObject {
  /** The key relative to the storage's root (its bucket prefix or folder), `/` between folders. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** The store's version tag (S3's ETag; size and mtime for a local folder). Changes when the content does. */
  etag?: string;
  lastModified?: Date;
}

export interface GetOptions {
  /** First byte to read (0-based). A store that cannot start there throws VHB_E_STORAGE_RANGE. */
  start?: number;
  /** Last byte to read, inclusive. */
  end?: number;
  signal?: AbortSignal;
}

export interface PutOptions {
  signal?: AbortSignal;
  contentType?: string;
}

export type PutBody = Readable | Uint8Array | string;

/**
 * One place objects live: a local folder or an S3 bucket (and prefix). Keys are relative POSIX
 * paths; one with `..`, a leading `/` or a backslash is refused with VHB_E_STORAGE_KEY.
 */
export interface Storage {
  /** Where it points (`file:///data/store`, `s3://bucket/prefix`), never with credentials; for messages. */
  readonly url: string;
  /** Whether `get` honours `start` (ranged reads), so an interrupted download can continue. */
  readonly supportsRange: boolean;
  /** Every object whose key starts with `prefix` (all when empty), in no promised order. */
  list(prefix?: string, options?: { signal?: AbortSignal }): AsyncIterable<StoredObject>;
  /** Size and version tag of one object; undefined when it does not exist. */
  stat(key: string, options?: { signal?: AbortSignal }): Promise<StoredObject | undefined>;
  /** The object's bytes (or the range asked for) as a stream; VHB_E_STORAGE_NOT_FOUND when absent. */
  get(key: string, options?: GetOptions): Promise<Readable>;
  /** Stores `body` under `key`, replacing what was there; readers never see a half-written object. */
  put(key: string, body: PutBody, options?: PutOptions): Promise<StoredObject>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string, options?: { signal?: AbortSignal }): Promise<void>;
}
