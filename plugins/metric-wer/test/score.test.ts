import { describe, expect, it } from 'vitest';
import wer, { werTokens } from '../src/index.js';

const score = (reference: string, prediction: string) => wer.score(prediction, [reference], {}).score;

describe('wer score', () => {
  it("reproduces jiwer's published values (README, tests/test_measures.py)", () => {
    expect(score('hello world', 'hello duck')).toBe(0.5);
    expect(score('This is a test', 'This is a test')).toBe(0);
    expect(score('This is a test', '')).toBe(1);
    expect(score('This is a test', 'This test')).toBe(0.5); // "is", "a" deleted: 2 of 4
    // From "From WER and RIL to MER and WIL", as jiwer quotes it:
    expect(score('X', 'X')).toBe(0);
    expect(score('X', 'X X Y Y')).toBe(3);
    expect(score('X Y X', 'X Z')).toBe(2 / 3);
    expect(score('X', 'Y')).toBe(1);
    expect(score('X', 'Y Z')).toBe(2);
    // "i am a" matches; the 3 remaining reference words vs 7 hypothesis words share none: 7 edits / 6.
    expect(score('i am a short ground truth', 'i am a considerably longer and very much incorrect hypothesis')).toBe(7 / 6);
  });

  it('returns the edit counts in details', () => {
    // "X Y X" vs "X Z": X hit, then "Y X" vs "Z": the last X is deleted, Y→Z substituted.
    expect(wer.score('X Z', ['X Y X'], {})).toEqual({
      score: 2 / 3,
      details: { hits: 1, substitutions: 1, deletions: 1, insertions: 0, refLength: 3 },
    });
  });

  it('splits words as jiwer wer_default does', () => {
    expect(werTokens('  hello   world  ')).toEqual(['hello', 'world']);
    // A single tab is not a separator: only the plain space splits.
    expect(werTokens('a\tb')).toEqual(['a\tb']);
    // A run of two or more whitespace characters of any kind becomes one space first.
    expect(werTokens('a \tb')).toEqual(['a', 'b']);
    expect(werTokens('a\u00a0\u00a0b')).toEqual(['a', 'b']);
    expect(werTokens('a\u00a0b')).toEqual(['a\u00a0b']);
    expect(werTokens('a\n\nb\u3000')).toEqual(['a', 'b']);
    expect(werTokens('')).toEqual([]);
    // "a\tb" is 1 reference word against 2: 1 substitution + 1 insertion over 1 word.
    expect(score('a\tb', 'a b')).toBe(2);
    expect(score('a \t b', 'a b')).toBe(0);
  });

  it("folds runs of Python's whitespace, U+2028, U+0085 and U+001C included, but not the BOM", () => {
    // Two line separators are a run: one space. One stays inside the word.
    expect(werTokens('a\u2028\u2028b')).toEqual(['a', 'b']);
    expect(werTokens('a\u2028b')).toEqual(['a\u2028b']);
    expect(werTokens('a\u0085\u0085b\u001c\u001cc')).toEqual(['a', 'b', 'c']);
    // A single ideographic space inside is not a separator; at the ends, str.strip() removes it.
    expect(werTokens('\u3000a\u3000b\u3000')).toEqual(['a\u3000b']);
    // U+FEFF is whitespace to JavaScript's \s but not to Python's: two of them stay in the word.
    expect(werTokens('a\ufeff\ufeffb')).toEqual(['a\ufeff\ufeffb']);
    // "a\u3000b" is 1 reference word against "a b", 2: 1 substitution + 1 insertion over 1.
    expect(score('a\u3000b', 'a b')).toBe(2);
  });

  it('compares words as whole strings: combining marks and astral characters', () => {
    // "cafe\u0301 noir" vs NFC "café noir": the first words differ (no Unicode normalisation): 1 of 2.
    expect(score('cafe\u0301 noir', 'caf\u00e9 noir')).toBe(1 / 2);
    // "北京 大学" vs "北京 大字": 1 of 2 words; "𝔘 𝔫" vs "𝔘 n": 1 of 2.
    expect(score('北京 大学', '北京 大字')).toBe(1 / 2);
    expect(score('𝔘 𝔫', '𝔘 n')).toBe(1 / 2);
  });

  it('compares words exactly: case, punctuation, script', () => {
    expect(score('Hello world', 'hello world.')).toBe(1); // both words differ
    expect(score('Привет мир', 'привет мир')).toBe(1 / 2);
    expect(score('ok 👍', 'ok 👍🏽')).toBe(1 / 2);
  });

  it('scores an empty reference by its insertions, as jiwer 4 does', () => {
    expect(score('', '')).toBe(0);
    expect(score('', 'hello')).toBe(1);
    expect(score('', 'a b c')).toBe(3);
    expect(score(' \t ', 'x')).toBe(1);
  });

  it('uses the first reference as the ground truth', () => {
    expect(wer.score('b', ['a', 'b'], {}).score).toBe(1);
  });

  it('refuses an item with no reference', () => {
    expect(() => wer.score('abc', [], {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });
});
