import { pyCaseFold, pyStrip } from '@vhb/sdk';

/** The label normalisation (`normalize: true`): Python's `s.strip().casefold()`. */
export function normaliseLabel(text: string): string {
  return pyCaseFold(pyStrip(text));
}
