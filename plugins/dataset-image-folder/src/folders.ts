import { opendir } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** One image found in the class-per-subfolder layout. */
export interface FolderImage {
  /** Path relative to the images folder, with `/` separators. */
  relative: string;
  /** The class: the name of the top-level subfolder. */
  label: string;
}

/** Entries of one folder sorted by name (the only names held in memory at a time). A symlink counts as a file: folders behind links are not followed. */
async function sortedEntries(dir: string): Promise<Array<{ name: string; isDir: boolean }>> {
  const out: Array<{ name: string; isDir: boolean }> = [];
  for await (const entry of await opendir(dir)) {
    if (entry.name.startsWith('.')) continue;
    out.push({ name: entry.name, isDir: entry.isDirectory() });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Walks `<images>/<class>/**` in name order, yielding the image files (by extension) with their
 * class. Hidden entries (`.name`) are skipped; `skipped` counts other files the walk passed over
 * (loose files at the top, other extensions).
 */
export async function* folderImages(
  images: string,
  extensions: readonly string[],
  skipped: { count: number },
): AsyncGenerator<FolderImage> {
  const wanted = new Set(extensions.map((ext) => ext.toLowerCase()));
  for (const top of await sortedEntries(images)) {
    if (!top.isDir) {
      skipped.count += 1;
      continue;
    }
    yield* walk(join(images, top.name), top.name, top.name);
  }
  async function* walk(dir: string, relative: string, label: string): AsyncGenerator<FolderImage> {
    for (const entry of await sortedEntries(dir)) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDir) yield* walk(join(dir, entry.name), path, label);
      else if (wanted.has(extname(entry.name).toLowerCase())) yield { relative: path, label };
      else skipped.count += 1;
    }
  }
}
