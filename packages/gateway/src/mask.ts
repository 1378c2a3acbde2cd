/** Secrets shorter than this are not masked: masking "0" or "on" would mangle every log line. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every known secret (API keys, engine keys, env values handed to engines) with `***`.
 * Secrets are matched as written and as JSON escapes them, since log lines are JSON.
 */
export class Masker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Adds values to mask; empty or short ones are ignored. */
  add(...values: (string | undefined)[]): void {
    let changed = false;
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
        if (!this.secrets.has(form)) {
          this.secrets.add(form);
          changed = true;
        }
      }
    }
    if (changed) {
      // Longest first, so a secret containing another is masked whole.
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    }
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }
}

/** Where log lines go: anything with `write(line)` (process.stderr, a test's collector). */
export interface LogDestination {
  write(line: string): unknown;
}

/** A pino destination that masks each line before it reaches `destination`. */
export function maskingDestination(masker: Masker, destination: LogDestination): LogDestination {
  return { write: (line: string) => destination.write(masker.mask(line)) };
}
