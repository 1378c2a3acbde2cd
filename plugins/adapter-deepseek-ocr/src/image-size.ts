import { VhbError } from '@vhb/sdk';
import { imageSizeFromFile } from 'image-size/fromFile';

/** The size in pixels of an image file (read from its header only), for scaling the model's boxes. */
export async function imageSizeOf(path: string): Promise<{ width: number; height: number }> {
  try {
    const { width, height } = await imageSizeFromFile(path);
    if (width > 0 && height > 0) return { width, height };
    throw new Error(`width ${width}, height ${height}`);
  } catch (cause) {
    throw new VhbError('VHB_E_ADAPTER_IMAGE', `cannot read the size of image ${path}: ${(cause as Error).message}`, {
      hint: 'the boxes are scaled to the image; check that the file is a PNG, JPEG, WebP, GIF, BMP or TIFF image',
      cause,
    });
  }
}
