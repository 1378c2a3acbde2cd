import { describe, expect, it } from 'vitest';
import { type Block, layout, type Measure, PAGE, pageText, wrap } from '../src/index.js';

// A fake font: every character is 10 px wide, whatever the size or weight, so positions can be
// worked out by hand. The page is 800 px wide with 40 px margins: text runs from x 40 to x 760.
const measure: Measure = (text) => text.length * 10;

describe('layout', () => {
  it('places a pair flush left and flush right, one line per row', () => {
    const blocks: Block[] = [
      {
        kind: 'row',
        cells: [
          { text: 'Milk', at: 0, align: 'left' },
          { text: '2.49', at: 1, align: 'right' },
        ],
      },
      { kind: 'row', cells: [{ text: 'Thanks', at: 0.5, align: 'center' }] },
    ];
    const page = layout(blocks, measure);
    const [first, second] = page.lines;
    // "Milk" at the left margin, 40; "2.49" ends at 760, so starts at 760 - 40 = 720.
    expect(first?.map((c) => [c.text, c.x, c.y])).toEqual([
      ['Milk', 40, 40],
      ['2.49', 720, 40],
    ]);
    // Centre 400, width 60: x = 370; second line one line height (24 * 1.5 = 36) lower: y = 76.
    expect(second?.map((c) => [c.text, c.x, c.y])).toEqual([['Thanks', 370, 76]]);
    // Height: two lines end at 40 + 72 = 112, plus the 40 px bottom margin.
    expect(page.height).toBe(152);
    expect(pageText(page)).toBe('Milk 2.49\nThanks');
  });

  it('rules and gaps add space but no text', () => {
    const page = layout([{ kind: 'rule' }, { kind: 'gap' }, { kind: 'row', cells: [{ text: 'A', at: 0, align: 'left' }] }], measure);
    // Rule at 40 + 8 = 48; then +16 = 64, gap +18 = 82: the row starts at y 82.
    expect(page.rules).toEqual([48]);
    expect(page.lines[0]?.[0]?.y).toBe(82);
    expect(pageText(page)).toBe('A');
  });

  it('refuses cells that run into each other', () => {
    // "x".repeat(40) ends at 40 + 400 = 440; the value starts at 40 + 0.5 * 720 = 400.
    const blocks: Block[] = [
      {
        kind: 'row',
        cells: [
          { text: 'x'.repeat(40), at: 0, align: 'left' },
          { text: 'value', at: 0.5, align: 'left' },
        ],
      },
    ];
    expect(() => layout(blocks, measure)).toThrow(/runs into "value"/);
  });

  it('refuses a cell wider than the page', () => {
    expect(() => layout([{ kind: 'row', cells: [{ text: 'y'.repeat(73), at: 0, align: 'left' }] }], measure)).toThrow(/does not fit/);
  });

  it('refuses text below the minimum font size and cells with double spaces', () => {
    expect(() => layout([{ kind: 'row', size: PAGE.minSize - 1, cells: [{ text: 'a', at: 0, align: 'left' }] }], measure)).toThrow(
      /below 20px/,
    );
    expect(() => layout([{ kind: 'row', cells: [{ text: 'a  b', at: 0, align: 'left' }] }], measure)).toThrow(/single spaces/);
  });
});

describe('wrap', () => {
  it('breaks greedily between words', () => {
    // Width 100 = 10 characters: "aaa bbb" (7) + " ccc" would be 11 > 10, so "ccc" starts line two.
    expect(wrap('aaa bbb ccc dd', 24, measure, 100)).toEqual(['aaa bbb', 'ccc dd']);
  });

  it('refuses a single word wider than the line', () => {
    expect(() => wrap('abcdefghijkl', 24, measure, 100)).toThrow(/wider than the page/);
  });
});
