import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Calls `onLine` with each line of `stream` as it arrives; resolves when the stream ends. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', resolve));
}

/** The last `size` lines seen, for an error message about a command that failed. */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 20) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
