import type { Block } from './model.js';

/** Page geometry, in pixels. Modest on purpose: OCR stays fast and text stays large. */
export const PAGE = { width: 800, margin: 40, size: 24, minSize: 20 } as const;

/** Width of `text` drawn at `size` px, regular or bold. */
export type Measure = (text: string, size: number, bold: boolean) => number;

/** One piece of text where the renderer will draw it (x, y = its top-left corner). */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
  width: number;
}

/** A laid-out page: text lines top to bottom (cells left to right), and the rules between them. */
export interface Page {
  width: number;
  height: number;
  lines: PlacedText[][];
  rules: number[];
}

/**
 * The ground truth of a page: its lines top to bottom, the cells of a line joined by one space
 * (what an OCR engine writes for a wide gap between words).
 */
export function pageText(page: Page): string {
  return page.lines.map((line) => line.map((cell) => cell.text).join(' ')).join('\n');
}

function lineHeight(size: number): number {
  return Math.round(size * 1.5);
}

/** Splits running text into lines that fit the text width, greedily, never inside a word. */
export function wrap(text: string, size: number, measure: Measure, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate, size, false) <= maxWidth || !current) current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  for (const line of lines) {
    if (measure(line, size, false) > maxWidth) throw new Error(`synthdoc layout: the word run "${line}" is wider than the page`);
  }
  return lines;
}

/**
 * Places every cell of a row. Throws when a cell would leave the text area or come closer to its
 * neighbour than a wide space: such a row would not read back as the ground truth says.
 */
function placeRow(
  cells: { text: string; bold?: boolean; at: number; align: 'left' | 'right' | 'center' }[],
  size: number,
  y: number,
  measure: Measure,
): PlacedText[] {
  const inner = PAGE.width - 2 * PAGE.margin;
  const placed = cells.map((cell) => {
    const bold = cell.bold ?? false;
    const width = measure(cell.text, size, bold);
    const anchor = PAGE.margin + cell.at * inner;
    const x = Math.round(cell.align === 'left' ? anchor : cell.align === 'right' ? anchor - width : anchor - width / 2);
    return { text: cell.text, x, y, size, bold, width };
  });
  placed.sort((a, b) => a.x - b.x);
  for (const [i, cell] of placed.entries()) {
    if (cell.x < PAGE.margin - 1 || cell.x + cell.width > PAGE.width - PAGE.margin + 1) {
      throw new Error(`synthdoc layout: "${cell.text}" does not fit the page (x ${cell.x}, width ${Math.round(cell.width)})`);
    }
    const previous = placed[i - 1];
    if (previous && previous.x + previous.width + size * 0.75 > cell.x) {
      throw new Error(`synthdoc layout: "${previous.text}" runs into "${cell.text}"`);
    }
  }
  return placed;
}

/** Lays blocks out top to bottom on a page as tall as they need. */
export function layout(blocks: readonly Block[], measure: Measure): Page {
  const lines: PlacedText[][] = [];
  const rules: number[] = [];
  let y = PAGE.margin;
  for (const block of blocks) {
    const size = 'size' in block && block.size !== undefined ? block.size : PAGE.size;
    if (size < PAGE.minSize) throw new Error(`synthdoc layout: font size ${size} is below ${PAGE.minSize}px`);
    if (block.kind === 'row') {
      if (block.cells.some((cell) => !cell.text.trim() || cell.text !== cell.text.trim() || /\s{2}|\n/.test(cell.text))) {
        throw new Error(`synthdoc layout: a cell must be non-empty text with single spaces: ${JSON.stringify(block.cells)}`);
      }
      lines.push(placeRow(block.cells, size, y, measure));
      y += lineHeight(size);
    } else if (block.kind === 'paragraph') {
      for (const text of wrap(block.text, size, measure, PAGE.width - 2 * PAGE.margin)) {
        lines.push(placeRow([{ text, at: 0, align: 'left' }], size, y, measure));
        y += lineHeight(size);
      }
    } else if (block.kind === 'rule') {
      y += 8;
      rules.push(y);
      y += 16;
    } else {
      y += 18;
    }
  }
  return { width: PAGE.width, height: Math.round(y + PAGE.margin), lines, rules };
}
