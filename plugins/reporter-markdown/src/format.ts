/** A table cell: `|` escaped and line breaks folded, so a message cannot break the table. */
export function cell(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
}

// Combining marks, zero-width characters and emoji skin-tone modifiers take no column;
// East Asian wide characters and emoji take two (what Biome's Markdown formatter assumes too).
const mark = /\p{Mn}|\p{Me}/u; // variation selectors are Mn too
const zeroWidth = (char: string) => {
  const code = char.codePointAt(0) as number;
  return (code >= 0x200b && code <= 0x200f) || code === 0x2060 || (code >= 0x1f3fb && code <= 0x1f3ff) || mark.test(char);
};
const wide =
  /[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Columns a string takes in a monospace font. */
export function displayWidth(text: string): number {
  let width = 0;
  let last = 0;
  for (const char of text) {
    // VARIATION SELECTOR-16 asks for the emoji form of the character before it (❤ → ❤️): two columns.
    if (char === '\ufe0f') {
      if (last === 1) width += 1;
      last = 2;
      continue;
    }
    last = zeroWidth(char) ? 0 : wide.test(char) ? 2 : 1;
    width += last;
  }
  return width;
}

/**
 * A GitHub-flavoured Markdown table with its columns padded to line up in plain text, as a
 * Markdown formatter would lay it out; `align` has one entry per column ('l' or 'r').
 */
export function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => displayWidth(row[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat((widths[i] as number) - displayWidth(text));
    return align[i] === 'r' ? fill + text : text + fill;
  };
  const line = (row: readonly string[]) => `| ${widths.map((_, i) => pad(row[i] ?? '', i)).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0] as string[]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** A metric figure: 4 decimals, or a dash when nothing was scored. */
export function score(value: number | null): string {
  return value === null ? '–' : value.toFixed(4);
}

/** A confidence interval: `[low, high]` with 4 decimals each, or a dash when there is none. */
export function interval(ci: readonly [number, number] | null | undefined): string {
  return ci ? `[${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]` : '–';
}

/** A figure with its interval, `0.8000 [0.6500, 0.9300]`; the bare score when it has no interval. */
export function scoreWithCi(value: number | null, ci: readonly [number, number] | null | undefined): string {
  return value === null || !ci ? score(value) : `${score(value)} ${interval(ci)}`;
}

/** Milliseconds with one decimal. */
export function ms(value: number): string {
  return value.toFixed(1);
}

/** A run's duration: seconds below a minute, else minutes and seconds. */
export function duration(durationMs: number): string {
  // From whole tenths: 850 ms is 0.9 s, where (0.85).toFixed(1) would give "0.8" (0.85 is 0.8499… in binary).
  const tenths = Math.round(durationMs / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  // Round once, then split: rounding the remainder alone could print "1 min 60 s".
  const whole = Math.round(durationMs / 1000);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
