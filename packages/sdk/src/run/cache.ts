import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenerationRequest, GenerationResult, Timing } from '../data.js';

/** Bumped when the key or the file format changes: older entries are then simply not found. */
export const RESPONSE_CACHE_VERSION = 1;

/** Everything a cached answer depends on: the model, and the request as the adapter receives it. */
export interface ResponseKeyParts {
  /** Name of the adapter plugin. */
  adapter: string;
  /** Registry name of the model. */
  model: string;
  modelId?: string;
  endpoint?: string;
  /** The adapter's `identity()` (the endpoint and model id it resolved, engine options), else its options. */
  adapterIdentity?: unknown;
  system?: string;
  /** The user prompt after templating. */
  prompt: string;
  /** sha256 (hex) of the image file's bytes, when the request has one. */
  imageSha256?: string;
  settings: Record<string, unknown>;
}

/** One cached answer, as stored in `<cacheDir>/responses/<ab>/<key>.json`. */
export interface CachedResponse {
  v: number;
  key: string;
  text: string;
  /** Timing of the request that produced the answer. */
  timing: Timing;
  /** The adapter's structured output, when it gave one. */
  output?: Record<string, unknown>;
  /** When it was answered (ISO 8601). */
  at: string;
}

/** JSON with object keys sorted and undefined values left out, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 (hex) of the key parts' canonical JSON: the name a cached answer is stored under. */
export function responseKey(parts: ResponseKeyParts): string {
  return createHash('sha256')
    .update(canonicalJson({ v: RESPONSE_CACHE_VERSION, ...parts }))
    .digest('hex');
}

/** sha256 (hex) of a file's bytes, streamed. */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The key parts of a request sent with a model. */
export async function requestKeyParts(
  model: Pick<ResponseKeyParts, 'adapter' | 'model' | 'modelId' | 'endpoint' | 'adapterIdentity'>,
  request: GenerationRequest,
): Promise<ResponseKeyParts> {
  return {
    ...model,
    ...(request.system === undefined ? {} : { system: request.system }),
    prompt: request.prompt,
    ...(request.image === undefined ? {} : { imageSha256: await fileSha256(request.image) }),
    settings: request.settings,
  };
}

/**
 * The response cache: content-addressed, one JSON file per answer under `<cacheDir>/responses/`,
 * written to a temporary file and renamed into place, so a reader sees a whole entry or none. A
 * file that does not parse (a disk filled up, a hand edit) reads as a miss and is written again.
 */
export class ResponseCache {
  readonly dir: string;
  /** Sub-folders known to exist, so a busy run does not ask the file system again for each answer. */
  readonly #made = new Set<string>();

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'responses');
  }

  /** File of a key: `<dir>/<first two hex digits>/<key>.json`. */
  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CachedResponse;
      if (entry.v !== RESPONSE_CACHE_VERSION || entry.key !== key || typeof entry.text !== 'string' || typeof entry.timing !== 'object') {
        return undefined;
      }
      return entry;
    } catch {
      return undefined;
    }
  }

  async put(key: string, result: GenerationResult): Promise<void> {
    const file = this.pathOf(key);
    const entry: CachedResponse = {
      v: RESPONSE_CACHE_VERSION,
      key,
      text: result.text,
      timing: result.timing,
      ...(result.output ? { output: result.output } : {}),
      at: new Date().toISOString(),
    };
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const folder = join(this.dir, key.slice(0, 2));
    if (!this.#made.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.#made.add(folder);
    }
    try {
      await writeFile(temporary, `${JSON.stringify(entry)}\n`);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
