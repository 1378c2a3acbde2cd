import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageDataUrl, mimeOf } from '../src/openai/index.js';

// A 1x1 grayscale PNG; its base64 (from `base64 page.png`).
const base64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg==';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vhb-openai-image-'));
  await writeFile(join(dir, 'page.png'), Buffer.from(base64, 'base64'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('image helpers', () => {
  it('maps extensions to MIME types, ignoring case', () => {
    expect(mimeOf('/a/b.png')).toBe('image/png');
    expect(mimeOf('/a/b.JPG')).toBe('image/jpeg');
    expect(mimeOf('/a/b.jpeg')).toBe('image/jpeg');
    expect(mimeOf('/a/b.webp')).toBe('image/webp');
    expect(mimeOf('/a/b.tif')).toBe('image/tiff');
  });

  it('refuses an unknown extension with VHB_E_ADAPTER_IMAGE', () => {
    expect(() => mimeOf('/a/b')).toThrow(/cannot tell the image type/);
    let thrown: unknown;
    try {
      mimeOf('/a/b.pdf');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'VHB_E_ADAPTER_IMAGE', message: expect.stringContaining('".pdf"') });
  });

  it('encodes the file as a base64 data URL', async () => {
    expect(await imageDataUrl(join(dir, 'page.png'))).toBe(`data:image/png;base64,${base64}`);
  });

  it('names a file it cannot read', async () => {
    await expect(imageDataUrl(join(dir, 'missing.png'))).rejects.toMatchObject({
      code: 'VHB_E_ADAPTER_IMAGE',
      message: expect.stringContaining('missing.png'),
    });
  });
});
