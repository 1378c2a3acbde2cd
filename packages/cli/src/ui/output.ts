import { VhbError } from '@vhb/sdk';
import pc from 'picocolors';

/** Where the CLI writes: stdout for results, stderr for progress and problems. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is a terminal that can redraw progress bars. */
  interactive: boolean;
  debug: boolean;
}

export function processOutput(debug: boolean): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    debug,
  };
}

/** One problem, the way users see it: a cross, the message, the hint indented below; the stack only with --debug. */
export function printError(output: Output, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  output.err(`${pc.red('✖')} ${message}`);
  if (error instanceof VhbError && error.hint) output.err(`  ${error.hint}`);
  if (output.debug && error instanceof Error && error.stack) output.err(pc.dim(error.stack));
}
