import { isPyWhitespace, pySplit } from '@vhb/sdk';

/** `" ".join(s.strip().lower().split())`: lower case, Unicode whitespace runs folded to one space, ends stripped. */
export function normaliseAnswer(text: string): string {
  return pySplit(text.toLowerCase()).join(' ');
}

/** Python's `len(s)`: code points, so an emoji outside the BMP counts once. */
function codePointLength(s: string): number {
  let n = s.length;
  for (let k = 0; k < s.length - 1; k++) {
    const unit = s.charCodeAt(k);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = s.charCodeAt(k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n--;
        k++;
      }
    }
  }
  return n;
}

/**
 * Whether a UTF-16 unit is one of the ~100 characters whose upper case is more than one code point
 * ("ß" → "SS", "ŉ", "ǰ", "ΐ", "ΰ", "և", "ẖ"–"ẚ", Greek with ypogegrammeni U+1F50–U+1FFC, the
 * ligatures U+FB00–U+FB17), as Unicode's SpecialCasing.txt lists them; the ranges are supersets.
 */
function mayGrowWhenUpper(unit: number): boolean {
  return (
    unit === 0xdf ||
    unit === 0x149 ||
    unit === 0x1f0 ||
    unit === 0x390 ||
    unit === 0x3b0 ||
    unit === 0x587 ||
    (unit >= 0x1e96 && unit <= 0x1e9a) ||
    (unit >= 0x1f50 && unit <= 0x1ffc) ||
    (unit >= 0xfb00 && unit <= 0xfb17)
  );
}

/**
 * Python's `len(s.upper())`, in code points. Only the characters of {@link mayGrowWhenUpper}
 * change the count, so a string without any is measured without upper-casing it.
 */
export function upperLength(s: string): number {
  let n = s.length;
  for (let k = 0; k < s.length; k++) {
    const unit = s.charCodeAt(k);
    if (unit < 0xdf) continue;
    if (mayGrowWhenUpper(unit)) return codePointLength(s.toUpperCase());
    if (unit >= 0xd800 && unit <= 0xdbff && k + 1 < s.length) {
      const low = s.charCodeAt(k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n--;
        k++;
      }
    }
  }
  return n;
}

/** A normalised string as code points, in a buffer reused from one call to the next. */
export interface Codes {
  buffer: Int32Array;
  length: number;
}

/**
 * {@link normaliseAnswer} straight into code points, without the intermediate strings: the
 * lower-cased text's code points, whitespace runs (Python's) folded to one space, ends dropped.
 * ASCII text is lower-cased in the loop; at the first other character the loop starts again on
 * `toLowerCase()`, which applies the same full Unicode mappings as Python's `str.lower()` (final
 * sigma included).
 */
export function normaliseInto(text: string, codes: Codes): void {
  if (!normaliseAscii(text, codes)) normaliseUnicode(text.toLowerCase(), codes);
}

/** The ASCII case: false, with `codes` half written, as soon as a unit is not ASCII. */
function normaliseAscii(text: string, codes: Codes): boolean {
  if (codes.buffer.length < text.length) codes.buffer = new Int32Array(text.length * 2);
  const out = codes.buffer;
  let n = 0;
  let space = false;
  for (let k = 0; k < text.length; k++) {
    let unit = text.charCodeAt(k);
    if (unit >= 0x80) return false;
    if (unit <= 0x20 && isPyWhitespace(unit)) {
      space = n > 0;
      continue;
    }
    if (space) {
      out[n++] = 0x20;
      space = false;
    }
    if (unit >= 0x41 && unit <= 0x5a) unit += 0x20;
    out[n++] = unit;
  }
  codes.length = n;
  return true;
}

function normaliseUnicode(lower: string, codes: Codes): void {
  if (codes.buffer.length < lower.length) codes.buffer = new Int32Array(lower.length * 2);
  const out = codes.buffer;
  let n = 0;
  let space = false;
  for (let k = 0; k < lower.length; k++) {
    let unit = lower.charCodeAt(k);
    if (isPyWhitespace(unit)) {
      space = n > 0;
      continue;
    }
    if (space) {
      out[n++] = 0x20;
      space = false;
    }
    if (unit >= 0xd800 && unit <= 0xdbff && k + 1 < lower.length) {
      const low = lower.charCodeAt(k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        unit = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        k++;
      }
    }
    out[n++] = unit;
  }
  codes.length = n;
}
