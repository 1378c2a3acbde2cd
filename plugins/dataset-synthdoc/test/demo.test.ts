import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateDataset, renderPage, renderPageAsync } from '../src/index.js';

type Row = { id: string; image: string; question?: string; references: string[]; doc_type: string; language: string };

let dirs: string[] = [];
let first: GenerateResult;

async function hashes(dir: string): Promise<Record<string, string>> {
  const names = [...(await readdir(dir)).filter((n) => n !== 'images'), ...(await readdir(join(dir, 'images'))).map((n) => `images/${n}`)];
  const out: Record<string, string> = {};
  for (const name of names.sort())
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  return out;
}

async function rows(dir: string, file: string): Promise<Row[]> {
  const text = await readFile(join(dir, file), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);
}

beforeAll(async () => {
  dirs = [await mkdtemp(join(tmpdir(), 'synthdoc-a-')), await mkdtemp(join(tmpdir(), 'synthdoc-b-'))];
  first = await generateDataset(dirs[0] as string);
  await generateDataset(dirs[1] as string);
}, 60_000);

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('generateDataset (the committed demo dataset)', () => {
  it('is deterministic: two runs give byte-identical files', async () => {
    const a = await hashes(dirs[0] as string);
    const b = await hashes(dirs[1] as string);
    // 40 images, 4 manifests, README.
    expect(Object.keys(a)).toHaveLength(45);
    expect(b).toEqual(a);
  });

  it('writes the manifests the brief asks for', async () => {
    const dir = dirs[0] as string;
    const en = await rows(dir, 'ocr-en.jsonl');
    const ru = await rows(dir, 'ocr-ru.jsonl');
    const classes = await rows(dir, 'classification.jsonl');
    const vqa = await rows(dir, 'vqa.jsonl');
    expect(en).toHaveLength(30);
    expect(ru).toHaveLength(10);
    expect(en.every((r) => r.language === 'en')).toBe(true);
    expect(ru.every((r) => r.language === 'ru')).toBe(true);
    // Russian pages are written in Cyrillic.
    expect(ru.every((r) => /[А-Яа-я]/.test(r.references[0] as string))).toBe(true);
    expect(Object.keys(en[0] as Row)).toEqual(['id', 'image', 'references', 'doc_type', 'language']);
    expect(classes).toHaveLength(40);
    for (const row of classes) {
      expect(row.references).toEqual([row.doc_type]);
      expect(['receipt', 'form', 'letter', 'invoice']).toContain(row.doc_type);
      expect(row.image).toBe(`images/${row.id}.png`);
    }
    const perImage = new Map<string, number>();
    for (const row of vqa) {
      expect(Object.keys(row)).toEqual(['id', 'image', 'question', 'references', 'doc_type', 'language']);
      expect(row.id).toMatch(/^doc-\d{3}-q[12]$/);
      perImage.set(row.image, (perImage.get(row.image) ?? 0) + 1);
    }
    expect(perImage.size).toBe(40);
    expect([...perImage.values()].every((n) => n === 1 || n === 2)).toBe(true);
  });

  it('answers every VQA question with text drawn on its image', async () => {
    const dir = dirs[0] as string;
    const pages = new Map(
      [...(await rows(dir, 'ocr-en.jsonl')), ...(await rows(dir, 'ocr-ru.jsonl'))].map((r) => [r.image, r.references[0]]),
    );
    for (const row of await rows(dir, 'vqa.jsonl')) {
      expect(pages.get(row.image), row.id).toContain(row.references[0]);
    }
  });

  it('writes as ground truth exactly the text the canvas draws', async () => {
    const dir = dirs[0] as string;
    const truth = new Map([...(await rows(dir, 'ocr-en.jsonl')), ...(await rows(dir, 'ocr-ru.jsonl'))].map((r) => [r.id, r.references[0]]));
    // Record every real fillText call of the canvas engine while the pages are drawn again.
    const probe = createCanvas(1, 1).getContext('2d');
    const proto = Object.getPrototypeOf(probe) as { fillText: (text: string, x: number, y: number) => void };
    const original = proto.fillText;
    const calls: { text: string; x: number; y: number; font: string }[] = [];
    proto.fillText = function (this: { font: string }, text: string, x: number, y: number) {
      calls.push({ text, x, y, font: this.font });
      original.call(this, text, x, y);
    };
    try {
      for (const doc of first.documents) {
        calls.length = 0;
        const png = renderPage(doc.page);
        // What was recorded is what is on disk.
        expect(png.equals(await readFile(join(dir, 'images', `${doc.id}.png`))), doc.id).toBe(true);
        const lines = new Map<number, typeof calls>();
        for (const call of calls) lines.set(call.y, [...(lines.get(call.y) ?? []), call]);
        const drawn = [...lines.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, cells]) =>
            cells
              .sort((a, b) => a.x - b.x)
              .map((c) => c.text)
              .join(' '),
          )
          .join('\n');
        expect(drawn, doc.id).toBe(truth.get(doc.id));
        for (const call of calls) {
          const size = Number(/^(?:bold )?(\d+)px/.exec(call.font)?.[1]);
          expect(size, `${doc.id} "${call.text}" font ${call.font}`).toBeGreaterThanOrEqual(20);
          probe.font = call.font;
          expect(call.x).toBeGreaterThanOrEqual(0);
          expect(call.x + probe.measureText(call.text).width, `${doc.id} "${call.text}"`).toBeLessThanOrEqual(doc.page.width);
        }
      }
    } finally {
      proto.fillText = original;
    }
  });

  it('draws every image 800 px wide, as tall as its page (PNG header)', async () => {
    for (const doc of first.documents) {
      const png = await readFile(join(dirs[0] as string, 'images', `${doc.id}.png`));
      // IHDR: width at byte 16, height at byte 20, big-endian.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, doc.page.height]);
    }
  });

  it('encodes the same PNG bytes off the main thread', async () => {
    for (const doc of first.documents.slice(0, 4)) {
      expect((await renderPageAsync(doc.page)).equals(renderPage(doc.page)), doc.id).toBe(true);
    }
  });
});
