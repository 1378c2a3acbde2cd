import { VhbError } from '@vhb/sdk';

/**
 * Why `path` is not a plain relative POSIX path that stays inside its root, or undefined when it is.
 * Refused: empty, absolute (`/x`, `C:\x`, `C:x`), backslashes, NUL, and `.`, `..` or empty segments.
 */
export function relativePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL character';
  if (path.includes('\\')) return 'it contains a backslash (use / between folders)';
  if (path.startsWith('/')) return 'it is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  for (const segment of path.split('/')) {
    if (segment === '..') return 'it climbs out of the root with ..';
    if (segment === '.') return 'it has a . segment';
    if (segment === '') return 'it has an empty segment (// or a trailing /)';
  }
  return undefined;
}

/** Throws VHB_E_STORAGE_KEY when `key` is not a plain relative path (see relativePathProblem). */
export function assertKey(key: string, what = 'object key'): void {
  const problem = relativePathProblem(key);
  if (problem)
    throw new VhbError('VHB_E_STORAGE_KEY', `${what} ${JSON.stringify(key)} is refused: ${problem}`, {
      hint: 'use a relative path with / between folders, without .. or a leading /',
    });
}

/** `prefix` and `path` joined with exactly one `/`; an empty prefix gives `path`. */
export function joinKey(prefix: string, path: string): string {
  const head = prefix.replace(/^\/+|\/+$/g, '');
  return head === '' ? path : path === '' ? head : `${head}/${path}`;
}
