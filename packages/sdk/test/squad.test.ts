import { describe, expect, it } from 'vitest';
import { squadNormalize as normalizeAnswer } from '../src/index.js';

describe('squadNormalize (SQuAD v1.1 and v2.0 alike)', () => {
  it('lower-cases, drops ASCII punctuation and articles, folds spaces', () => {
    expect(normalizeAnswer('The Cat!')).toBe('cat');
    expect(normalizeAnswer('  An   apple, a pear.  ')).toBe('apple pear');
    // Punctuation goes before articles: "the-end" → "theend", which keeps its "the".
    expect(normalizeAnswer('the-end')).toBe('theend');
    // "_" is in string.punctuation: "a_b" → "ab".
    expect(normalizeAnswer('a_b')).toBe('ab');
    expect(normalizeAnswer('A')).toBe('');
  });

  it('removes articles only as whole words', () => {
    expect(normalizeAnswer('Theatre')).toBe('theatre');
    expect(normalizeAnswer('banana')).toBe('banana');
    expect(normalizeAnswer('an1')).toBe('an1'); // a digit is a word character
  });

  it("uses Python's Unicode word boundaries, not JavaScript's ASCII \\b", () => {
    // "é" is a word character to Python, so "éa" has no boundary before "a": kept whole.
    expect(normalizeAnswer('éa')).toBe('éa');
    expect(normalizeAnswer('café a')).toBe('café');
    expect(normalizeAnswer('дом a')).toBe('дом');
  });

  it('keeps non-ASCII punctuation and splits on Unicode whitespace', () => {
    expect(normalizeAnswer('«yes»')).toBe('«yes»');
    expect(normalizeAnswer('new\u00a0york')).toBe('new york');
  });
});
