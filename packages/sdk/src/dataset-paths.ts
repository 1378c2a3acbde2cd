import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `child` is `parent` itself or below it, comparing the paths as given (resolve them first). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The outcome of {@link resolveImage}: the checked absolute path, or a one-line problem to put in an error. */
export type ImageCheck = { ok: true; path: string } | { ok: false; problem: string };

/**
 * Resolves an image path from a dataset row against the dataset root. Refuses absolute paths
 * (POSIX or Windows drive), paths that climb out with `..`, the root itself, and symlinks whose
 * target lies outside the root's real path; the file must exist and be a file. Returns the lexical
 * path (inside the root) rather than the symlink target, so results keep the names the dataset uses.
 *
 * `root` is the absolute dataset folder; `realRoot` is `realpath(root)`, computed once by the caller.
 */
export async function resolveImage(root: string, realRoot: string, image: string): Promise<ImageCheck> {
  if (isAbsolute(image) || /^[a-zA-Z]:[\\/]/.test(image)) {
    return { ok: false, problem: `image "${image}" is an absolute path; write it relative to the dataset root` };
  }
  const path = resolve(root, image);
  if (!isInside(root, path) || path === root) return { ok: false, problem: `image "${image}" points outside the dataset root ${root}` };
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { ok: false, problem: `image "${image}" does not exist (looked for ${path})` };
  }
  if (!isInside(realRoot, real)) return { ok: false, problem: `image "${image}" is a link to ${real}, outside the dataset root ${root}` };
  if (!(await stat(real)).isFile()) return { ok: false, problem: `image "${image}" is not a file (${path})` };
  return { ok: true, path };
}

/** The outcome of {@link resolveDatasetFile}: the folder and file, or a one-line problem (and a hint) to put in an error. */
export type DatasetFileCheck = { ok: true; root: string; realRoot: string; path: string } | { ok: false; problem: string; hint: string };

/**
 * Resolves a dataset's own file (a manifest, a labels file) named relative to the dataset root.
 * The root must exist; the file must be a file inside it (`..`, absolute paths and symlinks out are
 * refused). Returns the absolute root, its real path (for {@link resolveImage}) and the file's path.
 */
export async function resolveDatasetFile(rootDir: string, file: string): Promise<DatasetFileCheck> {
  const root = resolve(rootDir);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return { ok: false, problem: `dataset root ${root} does not exist`, hint: "check the dataset's path in the datasets registry" };
  }
  const path = resolve(root, file);
  if (isAbsolute(file) || !isInside(root, path)) {
    return {
      ok: false,
      problem: `"${file}" is outside the dataset root ${root}`,
      hint: 'name the file relative to the dataset root, e.g. manifest.jsonl',
    };
  }
  const real = await realpath(path).catch(() => undefined);
  const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
  if (real === undefined || !info?.isFile()) {
    return {
      ok: false,
      problem: `${path} does not exist or is not a file`,
      hint: "create it, or name one of the dataset's files in the options",
    };
  }
  if (!isInside(realRoot, real)) {
    return {
      ok: false,
      problem: `"${file}" is a link to ${real}, outside the dataset root ${root}`,
      hint: 'copy the file into the dataset folder',
    };
  }
  return { ok: true, root, realRoot, path };
}
