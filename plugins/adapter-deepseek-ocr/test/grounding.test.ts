import { describe, expect, it } from 'vitest';
import { parseGrounded } from '../src/index.js';

const EOS = '<｜end▁of▁sentence｜>';
// All worked examples use a 1000 x 500 image: x = ⌊gx × 1000 / 999⌋, y = ⌊gy × 500 / 999⌋.
const size = { width: 1000, height: 500 };

const markdownPage = [
  '<|ref|>title<|/ref|><|det|>[[100, 200, 899, 999]]<|/det|>',
  '# Invoice **42**',
  '',
  '<|ref|>text<|/ref|><|det|>[[0, 0, 499, 499]]<|/det|>',
  'Total: 1 250 RUB',
  '',
  '<|ref|>image<|/ref|><|det|>[[10, 20, 30, 40]]<|/det|>',
  '',
  '',
  '<|ref|>table<|/ref|><|det|>[[50, 500, 950, 900]]<|/det|>',
  `<table><tr><td>Item</td><td>Qty</td></tr><tr><td>Pen</td><td>2</td></tr></table>${EOS}`,
].join('\n');
const table = '<table><tr><td>Item</td><td>Qty</td></tr><tr><td>Pen</td><td>2</td></tr></table>';

describe('parseGrounded', () => {
  it('markdown mode: labels are layout types, the text is the content with the tags and EOS removed', () => {
    const { text, boxes } = parseGrounded(markdownPage, size);
    expect(text).toBe(`# Invoice **42**\n\nTotal: 1 250 RUB\n\n${table}`);
    expect(boxes.map(({ label, text, box }) => ({ label, text, box }))).toEqual([
      // 100×1000/999 = 100.1 → 100; 200×500/999 = 100.1 → 100; 899×1000/999 = 899.9 → 899; 999 → 500.
      { label: 'title', text: '# Invoice **42**', box: [100, 100, 899, 500] },
      // 499×1000/999 = 499.5 → 499; 499×500/999 = 249.7 → 249.
      { label: 'text', text: 'Total: 1 250 RUB', box: [0, 0, 499, 249] },
      // 10.01 → 10, 20×500/999 = 10.01 → 10, 30.03 → 30, 40×500/999 = 20.02 → 20; a figure holds no text.
      { label: 'image', text: undefined, box: [10, 10, 30, 20] },
      // 50.05 → 50, 250.25 → 250, 950.95 → 950, 450.45 → 450.
      { label: 'table', text: table, box: [50, 250, 950, 450] },
    ]);
    expect(boxes[0]?.normalized).toEqual([100 / 999, 200 / 999, 899 / 999, 1]);
    expect(boxes[2]).not.toHaveProperty('text');
  });

  it('strips markdown from the text and from each box when asked', () => {
    const { text, boxes } = parseGrounded(markdownPage, size, { stripMarkdown: true });
    expect(text).toBe('Invoice 42\n\nTotal: 1 250 RUB\n\nItem Qty\nPen 2');
    expect(boxes.map((b) => b.text)).toEqual(['Invoice 42', 'Total: 1 250 RUB', undefined, 'Item Qty\nPen 2']);
  });

  it('grounding OCR: each ref is a line of text, one line per box', () => {
    const raw = [
      '<|ref|>Hello world<|/ref|><|det|>[[100, 100, 500, 200]]<|/det|>',
      `<|ref|>Second line<|/ref|><|det|>[[100, 300, 600, 400]]<|/det|>${EOS}`,
    ].join('\n');
    const { text, boxes } = parseGrounded(raw, size, { refIsText: true });
    expect(text).toBe('Hello world\nSecond line');
    expect(boxes).toEqual([
      // 100.1 → 100, 50.05 → 50, 500.5 → 500, 100.1 → 100.
      { label: 'Hello world', text: 'Hello world', box: [100, 50, 500, 100], normalized: [100 / 999, 100 / 999, 500 / 999, 200 / 999] },
      // 100.1 → 100, 150.15 → 150, 600.6 → 600, 200.2 → 200.
      { label: 'Second line', text: 'Second line', box: [100, 150, 600, 200], normalized: [100 / 999, 300 / 999, 600 / 999, 400 / 999] },
    ]);
  });

  it('locate: several boxes in one det give one box each, with the same label', () => {
    const raw = '<|ref|>the total<|/ref|><|det|>[[10, 10, 20, 20], [30, 30, 40, 40]]<|/det|>';
    // A 999 x 999 image: pixels equal grid values exactly (multiplying first keeps 10 × 999 / 999 = 10, not 9.999…).
    const { text, boxes } = parseGrounded(raw, { width: 999, height: 999 }, { refIsText: true });
    expect(text).toBe('the total');
    expect(boxes.map((b) => [b.label, b.text, b.box])).toEqual([
      ['the total', 'the total', [10, 10, 20, 20]],
      ['the total', 'the total', [30, 30, 40, 40]],
    ]);
  });

  it('without the image size, boxes carry only normalized coordinates', () => {
    const { boxes } = parseGrounded('<|ref|>text<|/ref|><|det|>[[0, 999, 999, 0]]<|/det|>\nx');
    expect(boxes).toEqual([{ label: 'text', text: 'x', normalized: [0, 1, 1, 0] }]);
  });

  it('output without tags is returned as it is, less the end-of-sentence token', () => {
    expect(parseGrounded(`Hello\nWorld  \n\n\n\nEnd${EOS}`, size)).toEqual({ text: 'Hello\nWorld\n\nEnd', boxes: [] });
  });

  it('a det without four numbers gives no box but keeps the text', () => {
    const { text, boxes } = parseGrounded('<|ref|>text<|/ref|><|det|>[[1, 2, 3]]<|/det|>\nkept', size);
    expect(text).toBe('kept');
    expect(boxes).toEqual([]);
  });

  it('in markdown mode a ref followed by nothing is a label, not text', () => {
    const { text, boxes } = parseGrounded('<|ref|>image<|/ref|><|det|>[[0, 0, 999, 999]]<|/det|>', size);
    expect(text).toBe('');
    expect(boxes).toEqual([{ label: 'image', box: [0, 0, 1000, 500], normalized: [0, 0, 1, 1] }]);
  });
});
