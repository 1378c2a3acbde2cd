import { isPyWhitespace, pySplit } from '@vhb/sdk';

/** ASCII punctuation, Python's `string.punctuation`, which chrF++ splits off words. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * The characters sacrebleu's `extract_all_char_ngrams(line, n, whitespace)` takes n-grams of, as
 * code points: with whitespace off, the line is `''.join(line.split())` (Python whitespace removed).
 */
export function charsOf(line: string, whitespace: boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < line.length; k++) {
    const unit = line.charCodeAt(k);
    if (unit >= 0xd800 && unit <= 0xdbff && k + 1 < line.length) {
      const low = line.charCodeAt(k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out.push(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        k++;
        continue;
      }
    }
    // Python's whitespace lies in the BMP, so a lone UTF-16 unit decides it.
    if (whitespace || !isPyWhitespace(unit)) out.push(unit);
  }
  return out;
}

/**
 * `CHRF._remove_punctuation`: the words of `line.split()`; a word longer than one character
 * loses a trailing punctuation mark, or else a leading one, as a token of its own ("(hi)" gives
 * "(hi" and ")", as in sacrebleu #124).
 */
export function chrfWords(line: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(line)) {
    if (Array.from(word).length === 1) words.push(word);
    else if (PUNCTUATION.has(word.at(-1) as string)) words.push(word.slice(0, -1), word.slice(-1));
    else if (PUNCTUATION.has(word[0] as string)) words.push(word.slice(0, 1), word.slice(1));
    else words.push(word);
  }
  return words;
}
