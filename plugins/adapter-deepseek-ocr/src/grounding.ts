import { stripMarkdown } from './markdown.js';

/** One box the model drew: on the image in pixels (when its size is known) and on its 0–999 grid as 0–1 fractions. */
export interface OcrBox {
  /** What the `<|ref|>` said: a layout label (`title`, `text`, `table`, `image`...) or, in grounding OCR and locate, the text itself. */
  label: string;
  /** The text the box holds, when there is any. */
  text?: string;
  /** `[x1, y1, x2, y2]` in pixels of the image: ⌊grid value × width (or height) / 999⌋, as DeepSeek's scripts scale them. */
  box?: [number, number, number, number];
  /** `[x1, y1, x2, y2]` as fractions of the image's width and height: grid value / 999. */
  normalized: [number, number, number, number];
}

export interface GroundedOutput {
  /** The answer as plain text: tags removed, markdown kept or stripped. */
  text: string;
  boxes: OcrBox[];
}

export interface ParseOptions {
  /** Strip markdown from the text (and from each box's text). */
  stripMarkdown?: boolean;
  /** A `<|ref|>` followed by no content is itself text (grounding OCR, locate) rather than a layout label. */
  refIsText?: boolean;
}

/** The model's grid: coordinates run from 0 to 999 whatever the image's size. */
export const GRID = 999;

const BLOCK = /<\|ref\|>([\s\S]*?)<\|\/ref\|>[ \t]*<\|det\|>([\s\S]*?)<\|\/det\|>/g;
const QUAD = /\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]/g;
// End-of-sentence and other special tokens survive with skip_special_tokens: false; stray tags too.
const LEFTOVERS = /<｜end▁of▁sentence｜>|<\|(?:\/?ref|\/?det|grounding)\|>/g;

const clean = (text: string) => text.replace(LEFTOVERS, '');

function tidy(text: string, strip: boolean): string {
  const plain = strip ? stripMarkdown(text) : text;
  return plain
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

type Quad = [number, number, number, number];

function quadsOf(det: string): Quad[] {
  return [...det.matchAll(QUAD)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
}

/**
 * Parses DeepSeek-OCR's grounded output — `<|ref|>label<|/ref|><|det|>[[x1, y1, x2, y2], ...]<|/det|>`
 * blocks interleaved with content — into plain text and boxes. `size` is the image's size in
 * pixels; without it boxes carry only `normalized`. Output without any block is returned as text.
 */
export function parseGrounded(raw: string, size?: { width: number; height: number }, options: ParseOptions = {}): GroundedOutput {
  const strip = options.stripMarkdown === true;
  const blocks = [...raw.matchAll(BLOCK)];
  const pieces: string[] = [clean(raw.slice(0, blocks[0]?.index ?? raw.length))];
  const boxes: OcrBox[] = [];
  for (const [i, block] of blocks.entries()) {
    const label = clean(block[1] as string).trim();
    const start = (block.index as number) + block[0].length;
    const end = blocks[i + 1]?.index ?? raw.length;
    // The content of a block starts on the line after its coordinates.
    const content = clean(raw.slice(start, end)).replace(/^[ \t]*\r?\n/, '');
    const hasContent = content.trim() !== '';
    let text: string | undefined;
    if (hasContent) {
      text = tidy(content, strip);
      pieces.push(content);
    } else if (options.refIsText && label) {
      text = tidy(label, strip);
      pieces.push(label, content || '\n');
    } else {
      pieces.push(content);
    }
    for (const quad of quadsOf(block[2] as string)) {
      const normalized = quad.map((v) => v / GRID) as Quad;
      // Multiply before dividing, so a grid value that lands on a whole pixel is not rounded down by float error.
      const box = size
        ? ([
            Math.floor((quad[0] * size.width) / GRID),
            Math.floor((quad[1] * size.height) / GRID),
            Math.floor((quad[2] * size.width) / GRID),
            Math.floor((quad[3] * size.height) / GRID),
          ] as Quad)
        : undefined;
      boxes.push({ label, ...(text ? { text } : {}), ...(box ? { box } : {}), normalized });
    }
  }
  return { text: tidy(pieces.join(''), strip), boxes };
}
