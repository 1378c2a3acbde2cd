/**
 * Python's notion of whitespace (`str.isspace()`, `str.split()`, `str.strip()`, and `\s` in a `re`
 * str pattern), as a regex character class for the `u` flag. It differs from JavaScript's `\s`:
 * Python counts the separators U+001C–U+001F and NEL (U+0085), and not the BOM (U+FEFF).
 */
export const PY_WHITESPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const runs = new RegExp(`${PY_WHITESPACE}+`, 'u');

/** Whether a UTF-16 code unit is Python whitespace (all of it lies in the BMP). */
export function isPyWhitespace(unit: number): boolean {
  if (unit <= 0x20) return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d) || unit >= 0x1c;
  if (unit < 0x85) return false;
  return (
    unit === 0x85 ||
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000
  );
}

/** Python's `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  // Loops, not /\s+$/: a trailing-whitespace regex backtracks quadratically on long inner runs.
  let start = 0;
  let end = s.length;
  while (start < end && isPyWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python's `s.split()` with no argument: splits on runs of whitespace and drops empty strings. */
export function pySplit(s: string): string[] {
  const stripped = pyStrip(s);
  return stripped === '' ? [] : stripped.split(runs);
}

/** Characters `toUpperCase().toLowerCase()` leaves differently from Python's `str.casefold()`. */
const fixups = /[\u00df\u03c2\u13f8-\u13fd\uab70-\uabbf]/g;

function fixup(c: string): string {
  if (c === '\u00df') return 'ss'; // only ẞ (U+1E9E) gets here: ß itself upper-cases to "SS"
  if (c === '\u03c2') return '\u03c3'; // JavaScript's final sigma rule; casefold has none
  const unit = c.charCodeAt(0);
  // Cherokee folds to its capitals: ꭰ..ꮿ → Ꭰ..Ꮿ, ᏸ..ᏽ → Ᏸ..Ᏽ.
  return String.fromCharCode(unit >= 0xab70 ? unit - 0xab70 + 0x13a0 : unit - 8);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Python's `str.casefold()`: full case folding, so "Straße", "STRASSE" and "strasse" fold alike,
 * as do "ﬁle" and "FILE", and "ς" and "σ". Upper-casing first applies the expansions (ß → SS,
 * ﬁ → FI, ΐ → Ϊ́); the dotless ı, which upper-cases to a plain I, is kept as it is, as Python keeps it.
 * Checked code point by code point against CPython 3.11 (only characters newer than its Unicode 14 differ).
 */
export function pyCaseFold(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  return text.replace(/[^\u0131]+/g, (run) => run.toUpperCase().toLowerCase()).replace(fixups, fixup);
}
