import { join } from 'node:path';
import type { AdapterSession } from '@vhb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { accuracy, context, ocrRows, russianInstalled, synthdoc } from './helpers.js';

const request = (id: string, image?: string) => ({ id, image, prompt: 'Read the text.', settings: {} });

describe('OCR of synthdoc English pages', () => {
  let session: AdapterSession;
  beforeAll(async () => {
    session = await plugin.open({ workers: 2 }, context('eng'));
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it('serves as many requests at once as it has workers', () => {
    expect(session.concurrency).toBe(2);
  });

  it('reads a receipt, a form, a letter and an invoice with >= 90% of characters right', async () => {
    const rows = ocrRows('en');
    const picks = ['receipt', 'form', 'letter', 'invoice'].map((type) => rows.find((row) => row.doc_type === type)!);
    const results = await Promise.all(picks.map((row) => session.generate(request(row.id, join(synthdoc, row.image)))));
    for (const [i, result] of results.entries()) {
      const row = picks[i]!;
      expect(accuracy(result.text, row.references[0]!), `${row.id}: ${result.text}`).toBeGreaterThanOrEqual(0.9);
      expect(result.timing.latencyMs).toBeGreaterThan(0);
      expect(result.timing).toMatchObject({ ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null });
      expect(result.timing.peakMemoryMb).toBeGreaterThan(10);
    }
  }, 60_000);

  it('fails an item whose image is missing, naming the path', async () => {
    const missing = join(synthdoc, 'images', 'no-such-page.png');
    await expect(session.generate(request('gone', missing))).rejects.toMatchObject({
      code: 'VHB_E_ADAPTER_IMAGE',
      message: expect.stringContaining(missing),
    });
  });

  it('fails an item without an image', async () => {
    await expect(session.generate(request('text-only'))).rejects.toMatchObject({ code: 'VHB_E_ADAPTER_NO_IMAGE' });
  });

  it('fails an item whose file is not an image, and keeps serving', async () => {
    await expect(session.generate(request('readme', join(synthdoc, 'README.md')))).rejects.toMatchObject({ code: 'VHB_E_ADAPTER_OCR' });
    const row = ocrRows('en')[0]!;
    const result = await session.generate(request(row.id, join(synthdoc, row.image)));
    expect(accuracy(result.text, row.references[0]!)).toBeGreaterThanOrEqual(0.9);
  }, 30_000);
});

describe('open', () => {
  it('refuses a language without data', async () => {
    await expect(plugin.open({ workers: 1 }, context('xyz'))).rejects.toMatchObject({
      code: 'VHB_E_ADAPTER_LANGUAGE',
      message: expect.stringContaining('"xyz" OCR data is not installed'),
    });
  });

  it('applies a page segmentation mode', async () => {
    // psm 7 treats the image as one text line: a ten-line form no longer reads back as lines,
    // where the default (3, automatic) reads it at >= 90% (see above).
    const session = await plugin.open({ workers: 1, psm: 7 }, context('eng'));
    try {
      const row = ocrRows('en').find((r) => r.doc_type === 'form')!;
      const result = await session.generate(request(row.id, join(synthdoc, row.image)));
      expect(result.text).not.toContain('\n');
      expect(accuracy(result.text, row.references[0]!)).toBeLessThan(0.5);
    } finally {
      await session.close();
    }
  }, 60_000);
});

describe.runIf(russianInstalled)('OCR of synthdoc Russian pages (Debian tesseract-ocr-rus)', () => {
  it('reads Russian with rus, and with rus+eng from a linked data folder', async () => {
    const rows = ocrRows('ru');
    const picks = [rows.find((row) => row.doc_type === 'letter')!, rows.find((row) => row.doc_type === 'invoice')!];
    for (const languages of ['rus', 'rus+eng']) {
      const session = await plugin.open({ workers: 2, languages }, context());
      try {
        const results = await Promise.all(picks.map((row) => session.generate(request(row.id, join(synthdoc, row.image)))));
        for (const [i, result] of results.entries()) {
          expect(accuracy(result.text, picks[i]!.references[0]!), `${languages} ${picks[i]!.id}: ${result.text}`).toBeGreaterThanOrEqual(
            0.9,
          );
        }
      } finally {
        await session.close();
      }
    }
  }, 120_000);
});
