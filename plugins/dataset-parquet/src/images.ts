import { createHash, randomUUID } from 'node:crypto';
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { isInside, VhbError } from '@vhb/sdk';

/** The extension an image's first bytes announce; `fallback` (from the stored path) otherwise. */
export function imageExtension(bytes: Uint8Array, fallback = ''): string {
  const starts = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return '.png';
  if (starts(0xff, 0xd8, 0xff)) return '.jpg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return '.gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return '.webp';
  if (starts(0x42, 0x4d)) return '.bmp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return '.tif';
  const ext = extname(fallback).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
}

/** A content-addressed folder of image files under the dataset root. */
export class ImageCache {
  private constructor(readonly dir: string) {}

  /** Creates `<root>/<cacheDir>`, refusing a path (or a symlink) that leads out of the root. */
  static async open(root: string, realRoot: string, cacheDir: string): Promise<ImageCache> {
    const dir = resolve(root, cacheDir);
    const refuse = (problem: string, cause?: unknown) =>
      new VhbError('VHB_E_DATASET_CACHE', `image cache "${cacheDir}": ${problem}`, {
        hint: 'set options.cacheDir to a writable folder inside the dataset root (default .vhb-cache/images)',
        cause,
      });
    if (!isInside(root, dir) || dir === root) throw refuse(`must be a folder inside the dataset root ${root}`);
    try {
      await mkdir(dir, { recursive: true });
    } catch (cause) {
      throw refuse(`cannot create ${dir} (${(cause as Error).message})`, cause);
    }
    const real = await realpath(dir);
    if (!isInside(realRoot, real)) throw refuse(`${dir} is a link to ${real}, outside the dataset root`);
    return new ImageCache(dir);
  }

  /**
   * Writes `bytes` once as `<sha256[0..2]>/<sha256><ext>` and returns its path. An existing file of
   * the same size is reused; a new one is written to a temporary name and renamed, so a reader
   * never sees half an image and two writers of the same image both succeed.
   */
  async put(bytes: Uint8Array, pathHint?: string): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const path = join(this.dir, hash.slice(0, 2), `${hash}${imageExtension(bytes, pathHint)}`);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isFile() && existing.size === bytes.byteLength) return path;
    await mkdir(join(this.dir, hash.slice(0, 2)), { recursive: true });
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new VhbError('VHB_E_DATASET_CACHE', `cannot write image ${path} (${(cause as Error).message})`, {
        hint: 'check the free space and permissions of the dataset folder, or set options.cacheDir',
        cause,
      });
    }
    return path;
  }
}
