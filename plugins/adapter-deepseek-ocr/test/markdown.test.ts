import { describe, expect, it } from 'vitest';
import { stripMarkdown } from '../src/index.js';

describe('stripMarkdown', () => {
  it('removes heading marks, bold, italic and code marks', () => {
    expect(stripMarkdown('## Total **due**: *now* `42`\n# A')).toBe('Total due: now 42\nA');
  });

  it('keeps snake_case words, lone asterisks, list markers and LaTeX', () => {
    expect(stripMarkdown('- item_one * 2\n\\(x^2\\)')).toBe('- item_one * 2\n\\(x^2\\)');
  });

  it('turns an HTML table into one line per row, cells separated by a space', () => {
    expect(stripMarkdown('<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>')).toBe('A B\n1 2');
  });

  it('keeps the text of links and images, and turns <br> into a line break', () => {
    expect(stripMarkdown('see [the site](http://x) ![logo](a.png)<br/>next')).toBe('see the site logo\nnext');
  });
});
