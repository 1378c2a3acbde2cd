import { VhbError } from '@vhb/sdk';
import pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;

/** Where the CLI writes: stdout for results, stderr for progress and problems. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is a terminal that can redraw progress bars. */
  interactive: boolean;
  debug: boolean;
  /** Whether to colour marks and warnings; absent means plain text. */
  color?: boolean;
}

/** picocolors' own detection turns colour on whenever `CI` is set, even into a pipe; we colour a terminal only. */
export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined && forced !== '') return forced !== '0' && forced !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** The colour functions for this output (no-ops when it is plain). */
export function paint(output: Output): Colors {
  return pc.createColors(output.color ?? false);
}

export function processOutput(debug: boolean): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    debug,
    color: wantsColor(process.env, Boolean(process.stderr.isTTY)),
  };
}

/** One problem, the way users see it: a cross, the message, the hint indented below; the stack only with --debug. */
export function printError(output: Output, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const pc = paint(output);
  output.err(`${pc.red('✖')} ${message}`);
  if (error instanceof VhbError && error.hint) output.err(`  ${error.hint}`);
  if (output.debug && error instanceof Error && error.stack) output.err(pc.dim(error.stack));
}
