import { open } from 'node:fs/promises';
import type { RunSummary } from '@vhb/sdk';

/** An item's image as the report embeds it: a data: URL, or why there is none. */
export type EmbeddedImage = { dataUrl: string } | { missing: string };

/** Image formats a browser shows inline, told by their first bytes (never by the file name). */
function mimeOf(head: Buffer): string | undefined {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 2) === 'BM') return 'image/bmp';
  return undefined;
}

function isTiff(head: Buffer): boolean {
  const mark = head.toString('latin1', 0, 4);
  return mark === 'II*\0' || mark === 'MM\0*';
}

/**
 * Reads an image for embedding: at most `maxBytes` (larger files are left out, not cut), and only
 * a format browsers show (PNG, JPEG, GIF, WebP, BMP), recognised by its magic bytes, so that no
 * other file ever ends up in the report.
 */
export async function embedImage(path: string, maxBytes: number): Promise<EmbeddedImage> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { missing: code === 'ENOENT' ? 'image file not found' : `image not readable (${code ?? 'error'})` };
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return { missing: `image not embedded: ${size} bytes is over the ${maxBytes}-byte limit (maxImageBytes)` };
    const data = await handle.readFile();
    if (data.length > maxBytes) return { missing: `image not embedded: over the ${maxBytes}-byte limit (maxImageBytes)` };
    if (isTiff(data)) return { missing: 'TIFF image: browsers cannot show it inline' };
    const mime = mimeOf(data);
    if (!mime) return { missing: 'not an image format a browser shows (PNG, JPEG, GIF, WebP, BMP)' };
    return { dataUrl: `data:${mime};base64,${data.toString('base64')}` };
  } finally {
    await handle.close();
  }
}

/** The images of the summary's worst items, by item id; an item without an image path has none. */
export async function embedImages(summary: RunSummary, maxBytes: number): Promise<Map<string, EmbeddedImage>> {
  const images = new Map<string, EmbeddedImage>();
  for (const item of summary.worst?.items ?? []) {
    if (!item.image) continue;
    images.set(
      item.id,
      maxBytes === 0 ? { missing: 'images are not embedded (maxImageBytes: 0)' } : await embedImage(item.image, maxBytes),
    );
  }
  return images;
}
