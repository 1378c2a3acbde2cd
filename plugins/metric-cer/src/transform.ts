import { codePoints, pyStrip } from '@vhb/sdk';

/**
 * jiwer's `cer_default` transform: `Strip()` (Python's `str.strip()`, so Unicode whitespace),
 * then one token per code point. Inner spaces stay and count as characters; nothing else is
 * normalised (no case folding, no Unicode normalisation).
 */
export function cerTokens(text: string): string[] {
  return codePoints(pyStrip(text));
}
