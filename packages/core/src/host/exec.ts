import { spawn } from 'node:child_process';
import type { Logger } from '@vhb/sdk';
import { maskSecrets } from './mask.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell and captures its output. Resolves with the exit code (non-zero
 * too: the caller turns npm's and git's own words into an error); rejects only when it cannot start.
 */
export function runCommand(
  command: string,
  args: string[],
  cwd: string,
  logger: Logger,
  env: Record<string, string> = {},
): Promise<CommandResult> {
  logger.debug(maskSecrets(`$ ${command} ${args.join(' ')}   (in ${cwd})`));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** The lines of a tool's output worth showing: npm's `npm error` lines, else the last few lines. */
export function usefulOutput(output: string, maxLines = 12): string {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
  // Indented `npm error` lines are stack frames and object dumps: noise next to the summary lines.
  const npmErrors = lines.filter((line) => /^npm (error|ERR!) ?\S/.test(line) && !/complete log of this run/i.test(line));
  const picked = npmErrors.length ? npmErrors.slice(0, maxLines) : lines.slice(-maxLines);
  return maskSecrets(picked.join('\n'));
}
