import { isPyWhitespace } from '@vhb/sdk';

const decimalDigit = /\p{Nd}/u;
const infOrNan = /^[+-]?(?:inf|infinity|nan)$/i;
const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** The value of a Unicode decimal digit (category Nd): they come in contiguous runs of ten, 0 to 9. */
function digitValue(codePoint: number): number {
  let start = codePoint;
  while (start > 0 && decimalDigit.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

/**
 * CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: ASCII stays as it is; above it, Unicode
 * whitespace becomes a space and a decimal digit its ASCII digit; anything else makes the text
 * unparseable (null).
 */
function toAscii(text: string): string | null {
  let ascii = true;
  for (let k = 0; k < text.length; k++) {
    if (text.charCodeAt(k) >= 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    if (codePoint < 127) out += char;
    else if (codePoint <= 0xffff && isPyWhitespace(codePoint)) out += ' ';
    else if (decimalDigit.test(char)) out += String(digitValue(codePoint));
    else return null;
  }
  return out;
}

/** C's `isspace` in the "C" locale, which is what float() strips once the text is ASCII. */
const isAsciiSpace = (unit: number) => unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);

/**
 * Python's `float(text)` for a str, or null where Python raises ValueError:
 * - surrounding whitespace is ignored, Unicode whitespace included (`" 12\u00a0"` → 12), but not the
 *   ASCII separators U+001C–U+001F, which Python counts as whitespace elsewhere;
 * - any Unicode decimal digit counts as its ASCII digit (`"١٢٣"` → 123, `"１２"` → 12);
 * - underscores are allowed between digits only (`"1_000"` → 1000; `"1__000"`, `"_1"`, `"1_"` → null);
 * - `inf`, `infinity` and `nan` in any case, with an optional sign;
 * - otherwise an optional sign, digits with an optional point (`"5."`, `".5"`), an optional exponent;
 *   nothing else (`"1,000"`, `"0x10"`, `"12%"`, `"1 000"` → null). Out-of-range values become
 *   ±Infinity or 0 as in Python (`"1e400"` → Infinity).
 * Checked against CPython 3.11; the Unicode digits are the ones this JavaScript engine knows.
 */
export function pyFloat(text: string): number | null {
  const ascii = toAscii(text);
  if (ascii === null) return null;
  let start = 0;
  let end = ascii.length;
  while (start < end && isAsciiSpace(ascii.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(ascii.charCodeAt(end - 1))) end--;
  let body = ascii.slice(start, end);
  if (body.includes('_')) {
    // _Py_string_to_number_with_underscores: each "_" must sit between two ASCII digits.
    if (!/^[^_]*(?:(?<=[0-9])_(?=[0-9])[^_]*)*$/.test(body)) return null;
    body = body.replaceAll('_', '');
  }
  if (infOrNan.test(body)) return body.toLowerCase().endsWith('nan') ? Number.NaN : body.startsWith('-') ? -Infinity : Infinity;
  return decimal.test(body) ? Number(body) : null;
}
