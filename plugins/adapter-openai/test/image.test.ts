import { describe, expect, it } from 'vitest';
import { imageDataUrl, mimeOf } from '../src/index.js';
import { IMAGE } from './helpers/context.js';

describe('image helpers', () => {
  it('maps extensions to MIME types, ignoring case', () => {
    expect(mimeOf('/a/b.png')).toBe('image/png');
    expect(mimeOf('/a/b.JPG')).toBe('image/jpeg');
    expect(mimeOf('/a/b.jpeg')).toBe('image/jpeg');
    expect(mimeOf('/a/b.webp')).toBe('image/webp');
    expect(mimeOf('/a/b.tif')).toBe('image/tiff');
  });

  it('refuses an unknown extension', () => {
    expect(() => mimeOf('/a/b')).toThrow(/cannot tell the image type/);
  });

  it('encodes the file as a base64 data URL', async () => {
    // test/fixtures/page.png is a 1x1 grayscale PNG; its base64 (from `base64 page.png`):
    const base64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg==';
    expect(await imageDataUrl(IMAGE)).toBe(`data:image/png;base64,${base64}`);
  });
});
