import type { RegistryErrorCode } from '../errors.js';

/** A place in a registry file; line and column are 1-based, 0 when no position applies. */
export interface SourcePosition {
  /** Path relative to the project root (with `/`), or absolute when the file is outside it. */
  file: string;
  line: number;
  column: number;
}

/** One problem found in the registries: failures are data, so one bad file never stops the rest. */
export interface Diagnostic extends SourcePosition {
  severity: 'error' | 'warning';
  code: RegistryErrorCode;
  /** Dotted path of the offending field inside the entry (`source.type`, `metrics.1.name`); empty for the whole file. */
  field: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** `file:line:column error message (CODE)`, then the hint on its own line. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}` : diagnostic.file;
  const head = `${where} ${diagnostic.severity} ${diagnostic.message} (${diagnostic.code})`;
  return diagnostic.hint ? `${head}\n  hint: ${diagnostic.hint}` : head;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
