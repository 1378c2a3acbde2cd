import { describe, expect, it } from 'vitest';
import { type Output, paint, wantsColor } from '../src/ui/output.js';

describe('colour', () => {
  it('colours a terminal only: not a pipe, even on CI', () => {
    expect(wantsColor({}, true)).toBe(true);
    expect(wantsColor({}, false)).toBe(false);
    expect(wantsColor({ CI: 'true' }, false)).toBe(false);
    expect(wantsColor({ TERM: 'dumb' }, true)).toBe(false);
  });

  it('NO_COLOR wins over a terminal; FORCE_COLOR colours a pipe unless it is 0', () => {
    expect(wantsColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, false)).toBe(false);
    expect(wantsColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor({ FORCE_COLOR: '0' }, true)).toBe(false);
  });

  it('an output without the colour flag prints plain text', () => {
    const output: Output = { out: () => {}, err: () => {}, interactive: false, debug: false };
    expect(paint(output).red('✖')).toBe('✖');
    expect(paint({ ...output, color: true }).red('✖')).toBe('\u001b[31m✖\u001b[39m');
  });
});
