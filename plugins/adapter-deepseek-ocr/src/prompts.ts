import type { Mode } from './options.js';

/**
 * The prompt of each mode, as the DeepSeek-OCR model card writes them (without the leading
 * `<image>\n`: vLLM's chat template puts the image placeholder in front of the text).
 */
export const PROMPTS: Record<Exclude<Mode, 'locate'>, string> = {
  free_ocr: 'Free OCR.',
  markdown: '<|grounding|>Convert the document to markdown.',
  grounding_ocr: '<|grounding|>OCR this image.',
  parse_figure: 'Parse the figure.',
  describe: 'Describe this image in detail.',
};

/** The prompt for a mode; `locate` wraps the text to find in the model's reference tags. */
export function promptFor(mode: Mode, target?: string): string {
  if (mode === 'locate') return `Locate <|ref|>${target ?? ''}<|/ref|> in the image.`;
  return PROMPTS[mode];
}

/** Modes whose `<|ref|>` holds the recognised text itself rather than a layout label. */
export const REF_IS_TEXT: ReadonlySet<Mode> = new Set(['grounding_ocr', 'locate']);
