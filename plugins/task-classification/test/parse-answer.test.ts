import { describe, expect, it } from 'vitest';
import task, { matchLabel } from '../src/index.js';

const labels = ['Invoice', 'letter', 'form', 'scientific report'];
const item = { id: 'a', image: '/a.png', references: ['letter'], metadata: {} };

describe('matchLabel', () => {
  it('matches a label exactly, ignoring case and surrounding whitespace, in the label spelling', () => {
    expect(matchLabel('  invoice \n', labels)).toBe('Invoice');
    expect(matchLabel('LETTER', labels)).toBe('letter');
  });

  it('takes the only label the answer mentions', () => {
    expect(matchLabel('This document is a letter.', labels)).toBe('letter');
    expect(matchLabel('It looks like an INVOICE to me', labels)).toBe('Invoice');
    expect(matchLabel('A Scientific Report', labels)).toBe('scientific report');
  });

  it('counts whole words only: "form" is not in "information" or "formal"', () => {
    // Only 'letter' is a whole-word match; 'form' is a substring of 'information' and 'formal' only.
    expect(matchLabel('a formal letter with information', labels)).toBe('letter');
  });

  it('gives the trimmed answer back when two labels are mentioned', () => {
    expect(matchLabel(' Either a letter or a form ', labels)).toBe('Either a letter or a form');
  });

  it('gives the trimmed answer back when no label is mentioned', () => {
    expect(matchLabel(' receipt ', labels)).toBe('receipt');
  });

  it('treats regex characters in labels literally', () => {
    expect(matchLabel('this is a c++ listing', ['c++', 'java'])).toBe('c++');
    expect(matchLabel('this is a cpp listing', ['c.+', 'java'])).toBe('this is a cpp listing');
  });

  it('is the task parseAnswer, using the labels from the options', () => {
    expect(task.parseAnswer?.('Letter.', item, { labels })).toBe('letter');
  });
});
