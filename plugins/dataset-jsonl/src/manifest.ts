import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolveDatasetFile, VhbError } from '@vhb/sdk';

/** The dataset root and manifest, resolved and checked. */
export interface OpenedManifest {
  root: string;
  realRoot: string;
  path: string;
}

/** Resolves the manifest under the root; both must exist, and the manifest must not leave the root. */
export async function locateManifest(rootDir: string, manifest: string): Promise<OpenedManifest> {
  const file = await resolveDatasetFile(rootDir, manifest);
  if (!file.ok) throw new VhbError('VHB_E_DATASET_MANIFEST', `manifest "${manifest}": ${file.problem}`, { hint: file.hint });
  return { root: file.root, realRoot: file.realRoot, path: file.path };
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
