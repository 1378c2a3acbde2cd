import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What the cache recorded about a file right after it was verified: trusted while its size and its
 * mtime (to the millisecond, like rsync's quick check to the second) are unchanged.
 */
export interface Stamp {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** The stamps of a cache folder, kept in `<state>/stamps.jsonl` (appended as files finish, compacted at the end). */
export class StampBook {
  private readonly file: string;
  private readonly stamps = new Map<string, Stamp>();
  private writes: Promise<void> = Promise.resolve();

  constructor(stateDir: string) {
    this.file = join(stateDir, 'stamps.jsonl');
  }

  async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      try {
        const stamp = JSON.parse(line) as Stamp;
        if (typeof stamp.path === 'string' && typeof stamp.sha256 === 'string') this.stamps.set(stamp.path, stamp);
      } catch {
        // An empty or half-written last line (a killed process): ignored.
      }
    }
  }

  get(path: string): Stamp | undefined {
    return this.stamps.get(path);
  }

  /** Records a stamp; appended at once, so a killed sync keeps what it verified. */
  record(stamp: Stamp): Promise<void> {
    this.stamps.set(stamp.path, stamp);
    this.writes = this.writes.then(() => appendFile(this.file, `${JSON.stringify(stamp)}\n`));
    return this.writes;
  }

  /** Rewrites the file with only the stamps of `keep`, one line each. */
  async compact(keep: Set<string>): Promise<void> {
    await this.writes;
    const lines = [...this.stamps.values()].filter((s) => keep.has(s.path)).map((s) => JSON.stringify(s));
    const temp = `${this.file}.tmp`;
    await writeFile(temp, lines.length ? `${lines.join('\n')}\n` : '');
    await rename(temp, this.file).catch(async (error) => {
      await rm(temp, { force: true });
      throw error;
    });
  }
}
