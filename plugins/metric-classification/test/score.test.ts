import { pyCaseFold } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import classification, { normaliseLabel } from '../src/index.js';

type Options = { normalize: boolean; labels?: string[] };
const score = (prediction: string, references: string[], options: Options = { normalize: true }) =>
  classification.score(prediction, references, options);

describe('classification score', () => {
  it('is 1 when the prediction is the reference label, 0 otherwise, with both labels in the part', () => {
    expect(score('invoice', ['invoice'])).toEqual({
      score: 1,
      parts: [{ labels: { reference: 'invoice', prediction: 'invoice' }, score: 1 }],
    });
    expect(score('letter', ['invoice'])).toEqual({
      score: 0,
      parts: [{ labels: { reference: 'invoice', prediction: 'letter' }, score: 0 }],
    });
  });

  it('strips Python whitespace and case-folds by default; compares raw strings when told not to', () => {
    expect(score('  Invoice\n', ['INVOICE']).score).toBe(1);
    // U+3000 (ideographic space) and U+00A0 (no-break space) are whitespace to Python's strip().
    expect(score('\u3000invoice\u00a0', ['invoice']).score).toBe(1);
    // Inner whitespace is kept: "tax  form" is not "tax form".
    expect(score('tax  form', ['tax form']).score).toBe(0);
    // The labels in the part are the normalised ones.
    expect(score(' Invoice ', ['INVOICE']).parts?.[0]?.labels).toEqual({ reference: 'invoice', prediction: 'invoice' });
    expect(score(' Invoice ', ['INVOICE'], { normalize: false })).toEqual({
      score: 0,
      parts: [{ labels: { reference: 'INVOICE', prediction: ' Invoice ' }, score: 0 }],
    });
  });

  it("case-folds as Python's str.casefold(), not lower()", () => {
    // "Straße".casefold() == "strasse" (ß folds to "ss"); lower() would keep the ß.
    expect(score('STRASSE', ['Straße']).score).toBe(1);
    // Final sigma: "ΟΔΟΣ".casefold() == "οδοσ" == "οδος".casefold().
    expect(score('ΟΔΟΣ', ['οδος']).score).toBe(1);
    // The ligature ﬁ folds to "fi"; capital ẞ (U+1E9E) to "ss"; the dotless ı stays ı.
    expect(pyCaseFold('ﬁle')).toBe('file');
    expect(pyCaseFold('ẞ')).toBe('ss');
    expect(pyCaseFold('ı')).toBe('ı');
    expect(normaliseLabel(' İ ')).toBe('i\u0307'); // "İ".casefold() is "i" + combining dot above
  });

  it('compares Cyrillic, CJK and emoji labels by code point', () => {
    expect(score('Счёт', ['счёт']).score).toBe(1);
    expect(score('счет', ['счёт']).score).toBe(0); // е is not ё
    expect(score('发票', ['发票']).score).toBe(1);
    expect(score('📄', ['📄']).score).toBe(1);
    expect(score('📄', ['📃']).score).toBe(0);
  });

  it('does not normalise Unicode: a combining accent is not the precomposed letter', () => {
    // "café" as NFD (e + U+0301) and as NFC (é): different code points, as in Python.
    expect(score('cafe\u0301', ['caf\u00e9']).score).toBe(0);
    expect(score('CAFE\u0301', ['cafe\u0301']).score).toBe(1);
  });

  it('treats an empty prediction and an empty reference as labels like any other', () => {
    expect(score('', ['invoice'])).toEqual({ score: 0, parts: [{ labels: { reference: 'invoice', prediction: '' }, score: 0 }] });
    expect(score('  ', ['']).score).toBe(1);
    expect(score('invoice', ['']).score).toBe(0);
  });

  it('scores against the first reference only', () => {
    expect(score('letter', ['invoice', 'letter']).score).toBe(0);
    expect(score('invoice', ['invoice', 'letter']).score).toBe(1);
  });

  it('with a label set, reports labels in their own spelling and predictions outside it as (other)', () => {
    const options = { normalize: true, labels: ['Invoice', 'Letter'] };
    expect(score('invoice ', ['INVOICE'], options)).toEqual({
      score: 1,
      parts: [{ labels: { reference: 'Invoice', prediction: 'Invoice' }, score: 1 }],
    });
    expect(score('memo', ['letter'], options)).toEqual({
      score: 0,
      parts: [{ labels: { reference: 'Letter', prediction: '(other)' }, score: 0 }],
    });
    // A prediction spelled "(other)" is outside the labels too.
    expect(score('(other)', ['letter'], options).parts?.[0]?.labels.prediction).toBe('(other)');
  });

  it('refuses a reference outside the label set, and an item with no reference', () => {
    const options = { normalize: true, labels: ['Invoice', 'Letter'] };
    expect(() => score('memo', ['memo'], options)).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_UNKNOWN_LABEL' }));
    expect(() => score('memo', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });
});
