import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads a JSON Lines file, skipping blank lines and a torn last line (a crash mid-write);
 * a missing file reads as empty.
 */
export async function* readJsonl<T>(path: string): AsyncGenerator<T> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      // A torn line from an interrupted write: the item is simply redone.
    }
  }
}
