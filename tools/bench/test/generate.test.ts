import { describe, expect, it } from 'vitest';
import { ocrItems, Random, sampleIndices, take, vqaItems } from '../src/index.js';

const cyrillic = /[\u0400-\u04ff]/;
const codePoints = (s: string) => Array.from(s).length;

describe('generated pairs', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(take(vqaItems(7), 50)).toEqual(take(vqaItems(7), 50));
    expect(take(ocrItems(7), 50)).toEqual(take(ocrItems(7), 50));
    expect(take(vqaItems(8), 50)).not.toEqual(take(vqaItems(7), 50));
  });

  it('VQA: 1–3 short references, trimmed predictions, some Cyrillic, some empty', () => {
    const items = take(vqaItems(42), 5000);
    for (const { prediction, references } of items) {
      expect(references.length).toBeGreaterThanOrEqual(1);
      expect(references.length).toBeLessThanOrEqual(3);
      expect(prediction).toBe(prediction.trim());
      for (const reference of references) expect(reference.trim().split(/\s+/).length).toBeLessThanOrEqual(8);
    }
    const share = (test: (item: (typeof items)[number]) => boolean) => items.filter(test).length / items.length;
    expect(share((item) => cyrillic.test(item.references[0] as string))).toBeGreaterThan(0.05);
    expect(share((item) => item.references.includes(item.prediction))).toBeGreaterThan(0.3);
    expect(share((item) => item.prediction === '')).toBeGreaterThan(0.005);
    expect(share((item) => item.references.length === 3)).toBeGreaterThan(0.1);
  });

  it('OCR: one reference of 10–400 characters, predictions with a few % noise', () => {
    const items = take(ocrItems(42), 5000);
    let changed = 0;
    for (const { prediction, references } of items) {
      expect(references).toHaveLength(1);
      const reference = references[0] as string;
      expect(codePoints(reference)).toBeGreaterThanOrEqual(10);
      expect(codePoints(reference)).toBeLessThanOrEqual(400);
      if (prediction !== reference) changed++;
    }
    expect(changed / items.length).toBeGreaterThan(0.5);
    expect(items.filter((item) => cyrillic.test(item.references[0] as string)).length / items.length).toBeGreaterThan(0.1);
    expect(items.some((item) => (item.references[0] as string).length > 300)).toBe(true);
  });
});

describe('Random and sampleIndices', () => {
  it('draws in range, reproducibly', () => {
    const a = new Random(1);
    const b = new Random(1);
    for (let k = 0; k < 1000; k++) {
      const n = a.int(3, 5);
      expect(n).toBe(b.int(3, 5));
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });

  it('picks distinct ascending indices, all of them when asked for more', () => {
    const subset = sampleIndices(1000, 100, 9);
    expect(subset).toHaveLength(100);
    expect(new Set(subset).size).toBe(100);
    expect([...subset].sort((x, y) => x - y)).toEqual(subset);
    expect(subset.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleIndices(1000, 100, 9)).toEqual(subset);
    expect(sampleIndices(5, 10, 9)).toEqual([0, 1, 2, 3, 4]);
  });
});
