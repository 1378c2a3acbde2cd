import { describe, expect, it } from 'vitest';
import task, { parseOcrAnswer } from '../src/index.js';

const item = { id: 'a', image: '/x.png', references: [], metadata: {} };

describe('parseOcrAnswer', () => {
  it('trims the answer', () => {
    expect(parseOcrAnswer('  \n Hello world \n\n')).toBe('Hello world');
  });

  it('drops trailing whitespace of each line but keeps indentation and blank lines inside', () => {
    // 'A  ' -> 'A'; '  B\t' -> '  B'; '' stays; 'C ' -> 'C'
    expect(parseOcrAnswer('A  \n  B\t\n\nC ')).toBe('A\n  B\n\nC');
  });

  it('turns CRLF line ends into LF (the CR is trailing whitespace)', () => {
    expect(parseOcrAnswer('one\r\ntwo\r\n')).toBe('one\ntwo');
  });

  it('unwraps a code fence with an info string around the whole answer', () => {
    expect(parseOcrAnswer('```text\nLine 1  \nLine 2\n```')).toBe('Line 1\nLine 2');
  });

  it('unwraps a bare fence, a tilde fence and a fence closed on the last text line', () => {
    expect(parseOcrAnswer('\n```\nINVOICE\n```\n')).toBe('INVOICE');
    expect(parseOcrAnswer('~~~\nINVOICE\n~~~')).toBe('INVOICE');
    expect(parseOcrAnswer('```\nINVOICE```')).toBe('INVOICE');
  });

  it('leaves a fence that does not surround the whole answer alone', () => {
    const raw = 'Here is the text:\n```\nINVOICE\n```';
    expect(parseOcrAnswer(raw)).toBe(raw);
  });

  it('leaves backticks that are not a fence alone', () => {
    expect(parseOcrAnswer('Use `code` here')).toBe('Use `code` here');
  });

  it('is the task parseAnswer', () => {
    expect(task.parseAnswer?.('```\nA \n```', item, undefined)).toBe('A');
  });
});
