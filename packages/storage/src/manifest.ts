import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { VhbError, z } from '@vhb/sdk';
import { relativePathProblem } from './keys.js';
import type { Storage } from './storage.js';

/** The manifest's file name, at the root of a dataset (in the store and in the cache). */
export const MANIFEST_FILE = 'vhb-dataset.json';
/** The cache's own folder (sync state, stamps, lock); no manifest path may start with it. */
export const SYNC_STATE_DIR = '.vhb-sync';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');

export const manifestFileSchema = z.object({
  /** Path inside the dataset, relative, `/` between folders. */
  path: z.string().superRefine((path, ctx) => {
    const problem = relativePathProblem(path) ?? reservedProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(path)} is refused: ${problem}` });
  }),
  sha256: sha256Schema,
  size: z.number().int().nonnegative(),
});

/** `vhb-dataset.json`: a dataset's name and every file in it with its sha256 and size. */
export const manifestSchema = z
  .object({
    /** Format version of this file. */
    format: z.literal(1).default(1),
    name: z.string().min(1),
    /** When the manifest was written (ISO 8601); informative only. */
    created: z.string().optional(),
    files: z.array(manifestFileSchema),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.files.forEach((file, index) => {
      if (seen.has(file.path))
        ctx.addIssue({ code: 'custom', path: ['files', index, 'path'], message: `path ${JSON.stringify(file.path)} is listed twice` });
      seen.add(file.path);
    });
    // A path may not be both a file and a folder of another file.
    for (const path of seen) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const folder = parts.slice(0, i).join('/');
        if (seen.has(folder))
          ctx.addIssue({
            code: 'custom',
            path: ['files'],
            message: `${JSON.stringify(folder)} is a file and also the folder of ${JSON.stringify(path)}`,
          });
      }
    }
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;

function reservedProblem(path: string): string | undefined {
  if (path === MANIFEST_FILE) return `${MANIFEST_FILE} is the manifest's own name`;
  if (path === SYNC_STATE_DIR || path.startsWith(`${SYNC_STATE_DIR}/`)) return `${SYNC_STATE_DIR}/ is the cache's own folder`;
  return undefined;
}

/** Checks `value` (parsed JSON) against the manifest format; VHB_E_MANIFEST_INVALID naming every problem. */
export function parseManifest(value: unknown, where: string): Manifest {
  const parsed = manifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  throw new VhbError(
    'VHB_E_MANIFEST_INVALID',
    `${where} is not a valid dataset manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
    {
      hint: `a manifest is { "name": "...", "files": [{ "path": "a/b.png", "sha256": "<64 hex>", "size": 123 }] }; rebuild it with buildManifest(dir)`,
    },
  );
}

/** Reads and checks `<prefix>/vhb-dataset.json` from a storage. */
export async function readManifest(storage: Storage, prefix: string, signal?: AbortSignal): Promise<Manifest> {
  const key = prefix === '' ? MANIFEST_FILE : `${prefix.replace(/\/+$/, '')}/${MANIFEST_FILE}`;
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key, { signal })) chunks.push(Buffer.from(chunk));
  const where = `${storage.url}/${key}`;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new VhbError('VHB_E_MANIFEST_INVALID', `${where} is not JSON: ${(error as Error).message}`, {
      hint: 'rebuild the manifest with buildManifest(dir) and upload it again',
      cause: error,
    });
  }
  return parseManifest(json, where);
}

/** The sha256 (hex) and size of a local file, read as a stream. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The manifest of a local folder: every regular file under `dir` (sorted by path) with its sha256
 * and size. Skipped: the manifest itself, `.vhb-sync/`, and sync temp files (`*.vhb-part`).
 * A symbolic link is followed when it points inside `dir`, refused (VHB_E_STORAGE_KEY) otherwise.
 */
export async function scanFolder(dir: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<Manifest> {
  const root = await realpath(dir);
  const files: ManifestFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      const full = join(folder, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (path === MANIFEST_FILE || path === SYNC_STATE_DIR || entry.name.endsWith('.vhb-part') || entry.name.includes('.vhb-put-'))
        continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await realpath(full);
        if (target !== root && !target.startsWith(root + sep))
          throw new VhbError('VHB_E_STORAGE_KEY', `${path} is a link to ${target}, outside ${root}`, {
            hint: 'copy the file into the folder, or remove the link',
          });
        const info = await stat(target);
        isDir = info.isDirectory();
        isFile = info.isFile();
      }
      if (isDir) await walk(full);
      else if (isFile) {
        const problem = relativePathProblem(path);
        if (problem) throw new VhbError('VHB_E_STORAGE_KEY', `${path} cannot be a dataset path: ${problem}`, { hint: 'rename the file' });
        files.push({ path, ...(await hashFile(full, options.signal)) });
      }
    }
  };
  await walk(root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { format: 1, name: options.name ?? (root.split(sep).pop() || 'dataset'), created: new Date().toISOString(), files };
}
