import { describe, expect, it } from 'vitest';
import { pyFloat } from '../src/index.js';

// Each expected value is what CPython 3.11.7's float(text) returns (null: it raises ValueError),
// checked case by case with python3 in a scratch script. The rules are those of CPython's
// PyFloat_FromString: Unicode whitespace and decimal digits are first mapped to ASCII, surrounding
// ASCII whitespace is stripped, underscores must sit between digits, then inf/nan or a decimal.
const cases: [string, number | null][] = [
  ['1', 1],
  [' 12 ', 12],
  ['\t-3.25e-2\n', -0.0325],
  ['1e3', 1000],
  ['1E+3', 1000],
  ['1e-3', 0.001],
  ['.5', 0.5],
  ['5.', 5],
  ['1.e5', 100000],
  ['007', 7],
  ['-0', -0],
  ['9007199254740993', 9007199254740992],
  ['1e400', Number.POSITIVE_INFINITY],
  ['-1e400', Number.NEGATIVE_INFINITY],
  ['1e-400', 0],
  ['0.1e-310', 1e-311],
  // underscores: only between digits
  ['1_000', 1000],
  ['1_0_0', 100],
  ['1.5_5', 1.55],
  ['1e1_0', 1e10],
  ['00_1', 1],
  ['1__000', null],
  ['_1', null],
  ['1_', null],
  ['1_.5', null],
  ['1._5', null],
  ['1_e5', null],
  ['1e_5', null],
  ['nan_', null],
  ['in_f', null],
  // inf and nan, any case, optional sign
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-INFINITY', Number.NEGATIVE_INFINITY],
  ['nan', Number.NaN],
  ['-nan', Number.NaN],
  ['+NaN', Number.NaN],
  ['infinit', null],
  ['in', null],
  ['nan(1)', null],
  // Unicode digits and whitespace
  ['٣', 3],
  ['١٢٣', 123],
  ['1٢', 12],
  ['١_٢', 12],
  ['١.٥', 1.5],
  ['١e٣', 1000],
  ['１２', 12],
  ['𝟏𝟐', 12],
  ['\u00a012\u00a0', 12],
  ['\u300012', 12],
  ['12\u2028', 12],
  ['\u008512', 12],
  ['\u000b12\f', 12],
  // Python counts U+001C–U+001F as whitespace in str.strip(), but float() keeps them: an error.
  ['\u001c12', null],
  ['12\u001f', null],
  // not numbers to float()
  ['1,000', null],
  ['1 000', null],
  ['12%', null],
  ['%', null],
  ['0x10', null],
  ['−1', null], // U+2212 MINUS SIGN
  ['Ⅻ', null],
  ['²', null],
  ['٠٫٥', null], // U+066B ARABIC DECIMAL SEPARATOR
  ['1.2.3', null],
  ['1e1.5', null],
  ['1.5e+', null],
  ['++1', null],
  ['+-1', null],
  ['.', null],
  ['e5', null],
  ['1e', null],
  ['+', null],
  ['', null],
  [' ', null],
  ['yes', null],
];

describe('pyFloat', () => {
  it.each(cases)('float(%j) is %s', (text, expected) => {
    expect(pyFloat(text)).toBe(expected);
  });
});
