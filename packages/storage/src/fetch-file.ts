import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VhbError } from '@vhb/sdk';
import type { ManifestFile } from './manifest.js';
import type { Storage } from './storage.js';

export interface FetchContext {
  storage: Storage;
  /** The object's key in the storage. */
  key: string;
  signal: AbortSignal;
  /** Called with every chunk's size as bytes arrive. */
  onBytes?: (bytes: number) => void;
}

/** The temp file a download of `entry` writes, in the target's own folder (so the final rename stays on one disk). */
export function partPath(target: string, entry: ManifestFile): string {
  return join(dirname(target), `.${basename(target)}.${entry.sha256.slice(0, 16)}.vhb-part`);
}

/**
 * Downloads `entry` into `target`: bytes go to a hidden temp file beside it, which is renamed over
 * `target` only once its size and sha256 are the manifest's. A temp file left by an interrupted
 * download is continued with a ranged read where the store supports it (its bytes are hashed
 * first), else the download starts over. Returns whether an earlier part was reused and how many
 * bytes came from the store.
 */
export async function fetchFile(
  entry: ManifestFile,
  target: string,
  ctx: FetchContext,
  allowResume = true,
): Promise<{ resumed: boolean; bytes: number }> {
  const part = partPath(target, entry);
  let have = allowResume ? await sizeOf(part) : 0;
  if (have > entry.size || !allowResume) {
    await rm(part, { force: true });
    have = 0;
  }
  const hash = createHash('sha256');
  let resumed = false;
  let body: NodeJS.ReadableStream | undefined;
  if (have > 0 && have < entry.size && ctx.storage.supportsRange) {
    await hashInto(hash, part, ctx.signal);
    try {
      body = await ctx.storage.get(ctx.key, { start: have, signal: ctx.signal });
      resumed = true;
    } catch (error) {
      if ((error as VhbError).code !== 'VHB_E_STORAGE_RANGE') throw error;
      return fetchFile(entry, target, ctx, false);
    }
  } else if (have === entry.size && have > 0) {
    // A complete part from a download killed before its rename: just verify it.
    await hashInto(hash, part, ctx.signal);
    resumed = true;
  } else {
    if (have > 0) await rm(part, { force: true });
    have = 0;
    body = await ctx.storage.get(ctx.key, { signal: ctx.signal });
  }
  let written = have;
  if (body) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > entry.size) {
          done(mismatch(entry, ctx, `more than ${entry.size} bytes`));
          return;
        }
        hash.update(chunk);
        ctx.onBytes?.(chunk.length);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(part, { flags: have > 0 ? 'a' : 'w' }), { signal: ctx.signal });
    } catch (error) {
      if ((error as VhbError).code !== 'VHB_E_SYNC_HASH') throw error;
      await rm(part, { force: true });
      if (resumed) return fetchFile(entry, target, ctx, false);
      throw error;
    }
  }
  const sha256 = hash.digest('hex');
  if (written !== entry.size || sha256 !== entry.sha256) {
    await rm(part, { force: true });
    // A reused part may be stale (the file was re-published): try once more from nothing.
    if (resumed) return fetchFile(entry, target, ctx, false);
    throw mismatch(entry, ctx, `sha256 ${sha256}, ${written} bytes`);
  }
  await rename(part, target);
  return { resumed, bytes: written - have };
}

function mismatch(entry: ManifestFile, ctx: FetchContext, got: string): VhbError {
  return new VhbError(
    'VHB_E_SYNC_HASH',
    `${entry.path}: the stored object ${ctx.storage.url}/${ctx.key} does not match the manifest: it has ${got}; the manifest says sha256 ${entry.sha256}, ${entry.size} bytes`,
    {
      hint: 'the store changed after the manifest was written: publish the dataset again (uploadDataset) or fix vhb-dataset.json',
    },
  );
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashInto(hash: Hash, path: string, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
}
