import { describe, expect, it } from 'vitest';
import cer, { cerTokens } from '../src/index.js';

const score = (reference: string, prediction: string) => cer.score(prediction, [reference], {}).score;

describe('cer score', () => {
  it("reproduces jiwer's published values (tests/test_cer.py)", () => {
    expect(score('This is a test', 'This is a test')).toBe(0);
    expect(score('This is a test', '')).toBe(14 / 14);
    // "This is a test" → "This test": delete "is a " (5 of 14 characters).
    expect(score('This is a test', 'This test')).toBe(5 / 14);
    // From "From WER and RIL to MER and WIL", as jiwer quotes it:
    expect(score('X', 'X')).toBe(0);
    expect(score('X', 'X X Y Y')).toBe(6); // 6 insertions over 1 reference character
    expect(score('X Y X', 'X Z')).toBe(3 / 5); // "Y X" → "Z": 1 substitution, 2 deletions
    expect(score('X', 'Y')).toBe(1);
    expect(score('X', 'Y Z')).toBe(3);
  });

  it('returns the edit counts in details', () => {
    // kitten → sitting: k→s, e→i, insert g; the LCS "ittn" has 4 characters, so 4 hits.
    expect(cer.score('sitting', ['kitten'], {})).toEqual({
      score: 3 / 6,
      details: { hits: 4, substitutions: 2, deletions: 0, insertions: 1, refLength: 6 },
    });
  });

  it('scores an empty reference by its insertions, as jiwer 4 does', () => {
    expect(score('', '')).toBe(0);
    expect(score('', 'a')).toBe(1);
    expect(score('', 'abd')).toBe(3);
    expect(score('   ', 'ab')).toBe(2); // the reference strips to nothing
    expect(score('abc', '')).toBe(1);
  });

  it('strips Unicode whitespace at the ends but keeps inner spaces', () => {
    expect(score('  abc ', 'abc')).toBe(0);
    expect(score('\u3000abc\u00a0', '\tabc\n')).toBe(0);
    expect(score('a b', 'ab')).toBe(1 / 3); // the space is a character of the reference
    // Python does not strip the BOM: it stays a character to delete (1 of 4).
    expect(score('\ufeffabc', 'abc')).toBe(1 / 4);
  });

  it('counts code points: emoji, Cyrillic, combining marks', () => {
    expect(score('a😀b', 'ab')).toBe(1 / 3); // 3 code points, one deleted
    expect(score('привет', 'превед')).toBe(2 / 6); // и→е, т→д
    // "cafe" + U+0301 (5 code points) vs NFC "café" (4): "caf" matches, then e→é and the
    // combining accent is deleted: 2 errors over 5. No Unicode normalisation, like jiwer.
    expect(score('cafe\u0301', 'caf\u00e9')).toBe(2 / 5);
    expect(cerTokens(' 👍🏽 x ')).toEqual(['👍', '🏽', ' ', 'x']);
  });

  it("strips Python's whitespace, not JavaScript's: U+2028, U+0085 and U+001C go, the BOM and U+200B stay", () => {
    // str.strip() removes U+2028 (line separator), U+0085 (NEL) and U+001C (file separator),
    // which JavaScript's trim() keeps or handles differently.
    expect(cerTokens('\u2028a\u0085')).toEqual(['a']);
    expect(cerTokens('\u001ca\u001f')).toEqual(['a']);
    expect(score('\u2028\u3000abc\u00a0\u2029', 'abc')).toBe(0);
    // U+200B (zero-width space) is not whitespace to Python: a character to delete, 1 of 4.
    expect(score('abc\u200b', 'abc')).toBe(1 / 4);
  });

  it('keeps inner non-ASCII whitespace as characters, compared exactly', () => {
    // "a\u00a0b" vs "a b": the no-break space is substituted by a space: 1 of 3.
    expect(score('a\u00a0b', 'a b')).toBe(1 / 3);
    // "a\u3000b" vs "a\u2028b": 1 substitution of 3; "a  b" vs "a b": 1 deletion of 4 (no folding).
    expect(score('a\u3000b', 'a\u2028b')).toBe(1 / 3);
    expect(score('a  b', 'a b')).toBe(1 / 4);
  });

  it('counts astral characters and CJK as one character each', () => {
    // "𝔘𝔫𝔦" (U+1D518 …, 6 UTF-16 units) vs "𝔘n𝔦": 1 substitution of 3 characters.
    expect(score('𝔘𝔫𝔦', '𝔘n𝔦')).toBe(1 / 3);
    // "北京大学" vs "北京大字": 1 of 4.
    expect(score('北京大学', '北京大字')).toBe(1 / 4);
    // "👍🏽" is 2 code points: against "👍" 1 deletion of 2.
    expect(cer.score('👍', ['👍🏽'], {})).toEqual({
      score: 1 / 2,
      details: { hits: 1, substitutions: 0, deletions: 1, insertions: 0, refLength: 2 },
    });
  });

  it('compares case exactly', () => {
    // "Hello" vs "hello": H→h, 1 of 5; Cyrillic "Мир" vs "мир": 1 of 3.
    expect(score('Hello', 'hello')).toBe(1 / 5);
    expect(score('Мир', 'мир')).toBe(1 / 3);
  });

  it('uses the first reference as the ground truth', () => {
    expect(cer.score('abc', ['xyz', 'abc'], {}).score).toBe(1);
  });

  it('refuses an item with no reference', () => {
    expect(() => cer.score('abc', [], {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });
});
