import type { Diagnostic } from '@vhb/core';
import { type Output, paint } from './output.js';

/** Prints diagnostics one line each (`file:line:col  message`), the hint indented below; returns the error count. */
export function printDiagnostics(output: Output, diagnostics: readonly Diagnostic[]): number {
  const pc = paint(output);
  let errors = 0;
  for (const d of diagnostics) {
    const where = `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}`;
    const mark = d.severity === 'error' ? pc.red('✖') : pc.yellow('⚠');
    output.err(`${mark} ${where}  ${d.message}`);
    if (d.hint) output.err(`  ${d.hint}`);
    if (d.severity === 'error') errors += 1;
  }
  return errors;
}
