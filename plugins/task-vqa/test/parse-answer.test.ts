import { describe, expect, it } from 'vitest';
import task, { parseVqaAnswer } from '../src/index.js';

const item = { id: 'a', question: 'q', references: [], metadata: {} };

describe('parseVqaAnswer', () => {
  it('trims the answer', () => {
    expect(parseVqaAnswer('  1 May 1999 \n')).toBe('1 May 1999');
  });

  it('keeps only the first line', () => {
    expect(parseVqaAnswer('$12.50\nThe total is printed at the bottom.')).toBe('$12.50');
    expect(parseVqaAnswer('Paris \r\nbecause...')).toBe('Paris');
  });

  it('skips leading blank lines before taking the first line', () => {
    expect(parseVqaAnswer('\n\n  yes\nno')).toBe('yes');
  });

  it('rewrites nothing else: prefixes and trailing periods stay', () => {
    expect(parseVqaAnswer('Answer: Paris.')).toBe('Answer: Paris.');
  });

  it('gives an empty string for an empty answer', () => {
    expect(parseVqaAnswer(' \n ')).toBe('');
  });

  it('is the task parseAnswer', () => {
    expect(task.parseAnswer?.(' a \nb', item, undefined)).toBe('a');
  });
});
