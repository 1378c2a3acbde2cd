import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, readlink, rename, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LanguageData } from './languages.js';

/** What tesseract.js needs to find the traineddata: one folder, and whether files there end in `.gz`. */
export interface DataFolder {
  langPath: string;
  gzip: boolean;
}

/**
 * tesseract.js reads every language of a worker from one `langPath`, all gzipped or none. When the
 * languages live apart (English from npm as `.gz`, Russian from Debian, plain), this makes a folder
 * under the OS temp dir with a link per language named `<code>.traineddata`. tesseract.js looks at
 * the bytes, not the name, to decide whether to gunzip, so a link to `eng.traineddata.gz` works as
 * `eng.traineddata` and nothing is copied or unpacked. The folder name hashes the sources, so runs
 * share it and a changed source gets a new one.
 */
export async function dataFolder(data: readonly LanguageData[]): Promise<DataFolder> {
  const folders = new Set(data.map((entry) => dirname(entry.file)));
  const first = data[0];
  if (first && folders.size === 1 && data.every((entry) => entry.gzip === first.gzip)) {
    return { langPath: dirname(first.file), gzip: first.gzip };
  }
  const key = createHash('sha256')
    .update(data.map((entry) => `${entry.code}=${entry.file}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const folder = join(tmpdir(), 'vhb-tesseract', key);
  await mkdir(folder, { recursive: true });
  for (const entry of data) {
    const link = join(folder, `${entry.code}.traineddata`);
    if ((await readlink(link).catch(() => undefined)) === entry.file) continue;
    // Made under a unique name and renamed into place, so parallel runs never see a half-made link.
    const temp = `${link}.${randomUUID()}`;
    await symlink(entry.file, temp).catch(() => copyFile(entry.file, temp));
    await rename(temp, link);
  }
  return { langPath: folder, gzip: false };
}
