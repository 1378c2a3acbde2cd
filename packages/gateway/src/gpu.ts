import { execFile } from 'node:child_process';

/**
 * Samples GPU memory in use with `nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits`
 * (summed over GPUs, in MiB), at most once a second: requests share the last sample. Where the
 * program is missing or fails, the value is null, never an error; a missing program is not asked again.
 */
export class GpuSampler {
  private last: { at: number; value: Promise<number | null> } | undefined;
  private absent = false;

  constructor(
    private readonly command: string | null,
    private readonly intervalMs = 1000,
  ) {}

  /** Whether `sample()` may give a value (a program is set and was not found missing): without, callers skip the wait. */
  get enabled(): boolean {
    return this.command !== null && !this.absent;
  }

  sample(): Promise<number | null> {
    if (!this.command || this.absent) return Promise.resolve(null);
    const now = Date.now();
    if (this.last && now - this.last.at < this.intervalMs) return this.last.value;
    const value = this.query(this.command);
    this.last = { at: now, value };
    return value;
  }

  private query(command: string): Promise<number | null> {
    return new Promise((resolve) => {
      execFile(command, ['--query-gpu=memory.used', '--format=csv,noheader,nounits'], { timeout: 5000 }, (error, stdout) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.absent = true;
          resolve(null);
          return;
        }
        const values = stdout
          .split('\n')
          .map((line) => Number.parseFloat(line.trim()))
          .filter((n) => Number.isFinite(n));
        resolve(values.length ? values.reduce((a, b) => a + b, 0) : null);
      });
    });
  }
}
