import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { adapterError } from './errors.js';

/** Media type of each image file extension the OpenAI-compatible servers take as data URLs. */
export const IMAGE_MIME_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** The MIME type of an image from its file extension (case-insensitive). */
export function mimeOf(path: string): string {
  const mime = IMAGE_MIME_TYPES[extname(path).toLowerCase()];
  if (!mime) {
    throw adapterError(
      'VHB_E_ADAPTER_IMAGE',
      `cannot tell the image type of ${path} from its extension "${extname(path)}"`,
      `use one of ${Object.keys(IMAGE_MIME_TYPES).join(', ')}`,
    );
  }
  return mime;
}

/** Reads an image into a base64 `data:` URL, the form every OpenAI-compatible server accepts. */
export async function imageDataUrl(path: string): Promise<string> {
  const mime = mimeOf(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw adapterError(
      'VHB_E_ADAPTER_IMAGE',
      `cannot read image ${path}: ${(cause as Error).message}`,
      'check the dataset root and manifest',
      cause,
    );
  }
  return `data:${mime};base64,${bytes.toString('base64')}`;
}
