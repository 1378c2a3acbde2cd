import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `child` is `parent` itself or below it, comparing resolved paths. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export type ImageCheck = { ok: true; path: string } | { ok: false; problem: string };

/**
 * Resolves an image path from a manifest against the dataset root. Refuses absolute paths, paths
 * that climb out with `..`, and symlinks whose target lies outside the root; the file must exist.
 * Returns the lexical path (inside the root) rather than the symlink target, so results keep the
 * names the dataset uses.
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
