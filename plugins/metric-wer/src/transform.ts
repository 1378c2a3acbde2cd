import { PY_WHITESPACE, pyStrip } from '@vhb/sdk';

// Python's `re.sub(r"\s\s+", " ", s)`: \s there is Unicode whitespace, so a run of two or more
// tabs, no-break spaces or ideographic spaces also collapses to one plain space.
const multipleSpaces = new RegExp(`${PY_WHITESPACE}{2,}`, 'gu');

/**
 * jiwer's `wer_default` transform: `RemoveMultipleSpaces()`, `Strip()`, then
 * `ReduceToListOfListOfWords()`, which splits on the plain space " " only and drops empty words.
 * So "a\tb" stays one word, while "a \tb" becomes two. No case folding, no punctuation removal.
 */
export function werTokens(text: string): string[] {
  return pyStrip(text.replace(multipleSpaces, ' '))
    .split(' ')
    .filter((word) => word.length > 0);
}
