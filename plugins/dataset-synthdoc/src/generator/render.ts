import { createCanvas } from '@napi-rs/canvas';
import { font, registerFonts } from './fonts.js';
import { type Measure, PAGE, type Page } from './layout.js';

/** Measures text with the same fonts and engine that draw it. */
export function canvasMeasure(): Measure {
  registerFonts();
  const ctx = createCanvas(1, 1).getContext('2d');
  return (text, size, bold) => {
    ctx.font = font(size, bold);
    return ctx.measureText(text).width;
  };
}

function draw(page: Page) {
  registerFonts();
  const canvas = createCanvas(page.width, page.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, page.width, page.height);
  ctx.strokeStyle = '#808080';
  ctx.lineWidth = 2;
  for (const y of page.rules) {
    ctx.beginPath();
    ctx.moveTo(PAGE.margin, y);
    ctx.lineTo(page.width - PAGE.margin, y);
    ctx.stroke();
  }
  ctx.fillStyle = '#000000';
  ctx.textBaseline = 'top';
  for (const line of page.lines) {
    for (const cell of line) {
      ctx.font = font(cell.size, cell.bold);
      ctx.fillText(cell.text, cell.x, cell.y);
    }
  }
  return canvas;
}

/** Draws a laid-out page: black text on white, grey rules. Returns the PNG bytes. */
export function renderPage(page: Page): Buffer {
  // No metadata: the bytes depend on the pixels alone.
  return draw(page).encodeSync('png');
}

/** As {@link renderPage}, with the PNG encoded off the main thread (same bytes). */
export function renderPageAsync(page: Page): Promise<Buffer> {
  return draw(page).encode('png');
}
