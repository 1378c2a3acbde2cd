import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `dir`, at any depth (absolute paths); `[]` when `dir` is absent. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Size and modification time of each file, one sorted line per file (`path\tsize\tmtime`, the path
 * relative to `base` when given; a file that is gone is its path alone): any edit, addition or
 * removal changes the lines.
 */
export async function fileStamps(files: readonly string[], base?: string): Promise<string[]> {
  const lines = await Promise.all(
    files.map(async (file) => {
      const name = base ? relative(base, file) : file;
      const s = await stat(file).catch(() => undefined);
      return s ? `${name}\t${s.size}\t${s.mtimeMs}` : name;
    }),
  );
  return lines.sort();
}
