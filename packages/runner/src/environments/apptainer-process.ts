import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  /** Each line printed, already masked. */
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  /** Hides secrets in a line before anyone sees it. */
  mask: (text: string) => string;
}

export interface ProcessResult {
  exitCode: number;
  /** The last lines of stderr (masked), for error messages. */
  stderrTail: string[];
}

const TAIL_LINES = 20;

/**
 * Runs a program without a shell, streaming its output line by line. Resolves with the exit code
 * (128 + the signal number when killed by a signal); rejects when it cannot start or on abort.
 */
export function runProcess(file: string, args: string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const stderrTail: string[] = [];
    const pending: Promise<void>[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream], crlfDelay: Number.POSITIVE_INFINITY });
      lines.on('line', (raw) => {
        const line = options.mask(raw);
        if (stream === 'stderr') {
          stderrTail.push(line);
          if (stderrTail.length > TAIL_LINES) stderrTail.shift();
        }
        options.onLine?.(line, stream);
      });
      pending.push(new Promise((done) => lines.once('close', done)));
    }
    let failed = false;
    child.once('error', (error) => {
      failed = true;
      reject(error);
    });
    child.once('close', (code, signal) => {
      if (failed) return;
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      // Every line is delivered before the result.
      void Promise.all(pending).then(() => resolvePromise({ exitCode, stderrTail }));
    });
  });
}
