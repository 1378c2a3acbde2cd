import { describe, expect, it } from 'vitest';
import { normaliseAnswer, upperLength } from '../src/normalise.js';

describe("upperLength (Python's len(s.upper()))", () => {
  it('counts the characters whose upper case is longer, by hand', () => {
    // "ß" → "SS"; "ŉ" → "ʼN"; "ǰ" → "J̌"; "ΐ" → "Ϊ́" (3); "ﬃ" → "FFI" (3); "ᾳ" (U+1FB3) → "ΑΙ".
    expect(['ß', 'ŉ', 'ǰ', 'ΐ', 'ﬃ', '\u1fb3'].map(upperLength)).toEqual([2, 2, 2, 3, 3, 2]);
    expect(upperLength('Straße')).toBe(7);
    // One code point each: "é", "İ" (already upper), Cyrillic, an emoji (2 UTF-16 units).
    expect(['é', 'İ', 'ж', '😀', ''].map(upperLength)).toEqual([1, 1, 1, 1, 0]);
  });

  it('agrees with the full Unicode upper-casing for every code point', () => {
    // The shortcut skips toUpperCase() for characters outside the SpecialCasing list: check that
    // no other character changes length (JavaScript applies the same mappings as Python).
    const wrong: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (upperLength(char) !== [...char.toUpperCase()].length) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });
});

describe('normaliseAnswer (" ".join(s.strip().lower().split()))', () => {
  it("folds Python's whitespace and lower-cases with the full Unicode mappings", () => {
    expect(normaliseAnswer('  New\u3000\u3000YORK\u2028 ')).toBe('new york');
    expect(normaliseAnswer('a\u0085b\u001cc')).toBe('a b c'); // NEL and U+001C split in Python
    expect(normaliseAnswer('a\ufeffb')).toBe('a\ufeffb'); // the BOM does not
    // Final sigma, as Python's "ΟΔΟΣ".lower() gives it; "İ" lower-cases to "i" + U+0307.
    expect(normaliseAnswer('ΟΔΟΣ')).toBe('οδος');
    expect(normaliseAnswer('İ')).toBe('i\u0307');
    expect(normaliseAnswer('')).toBe('');
  });
});
