import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { VhbError } from '@vhb/sdk';
import { isInside } from './paths.js';

/** The dataset root and manifest, resolved and checked. */
export interface OpenedManifest {
  root: string;
  realRoot: string;
  path: string;
}

/** Resolves the manifest under the root; both must exist, and the manifest must not leave the root. */
export async function locateManifest(rootDir: string, manifest: string): Promise<OpenedManifest> {
  const root = resolve(rootDir);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `dataset root ${root} does not exist`, {
      hint: "check the dataset's root in the datasets registry",
    });
  }
  const path = resolve(root, manifest);
  if (isAbsolute(manifest) || !isInside(root, path)) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `manifest "${manifest}" is outside the dataset root ${root}`, {
      hint: 'give the manifest as a path relative to the dataset root, e.g. manifest.jsonl',
    });
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new VhbError('VHB_E_DATASET_MANIFEST', `manifest ${path} does not exist or is not a file`, {
      hint: `create it, or set options.manifest to one of the dataset's .jsonl files`,
    });
  }
  return { root, realRoot, path };
}

/** Streams a file's lines with their 1-based numbers, blank lines included; closes the file when the reader stops early. */
export async function* numberedLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const input = createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      // A byte-order mark some editors write would otherwise break the first JSON.parse.
      yield { line, text: line === 1 ? raw.replace(/^\uFEFF/, '') : raw };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
