import { pySplit } from './python-str.js';

// Python's string.punctuation: ASCII only, so «», “” and Unicode dashes are kept.
const punctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's \b in a str pattern is Unicode-aware: a word character is a letter, a digit or "_".
// JavaScript's \b is ASCII-only even with the u flag, hence the lookarounds.
const articles = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * SQuAD v1.1's `normalize_answer`: lower-case, remove ASCII punctuation, replace the articles
 * "a", "an", "the" (whole words) by a space, then fold whitespace runs to one space and strip.
 */
export function squadNormalize(text: string): string {
  return pySplit(text.toLowerCase().replace(punctuation, '').replace(articles, ' ')).join(' ');
}
