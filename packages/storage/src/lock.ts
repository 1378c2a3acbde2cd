import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { VhbError } from '@vhb/sdk';
import { abortedError } from './abort.js';

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `work` holding the lock of `stateDir` (a `lock` file there), so two syncs of one cache folder,
 * in this process or in two, never write the same files at once. A lock left by a dead process on
 * this host is taken over.
 */
export async function withFolderLock<T>(
  stateDir: string,
  work: () => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<T> {
  const key = resolve(stateDir);
  const before = inProcess.get(key) ?? Promise.resolve();
  const mine = before
    .catch(() => undefined)
    .then(async () => {
      const release = await acquire(key, options);
      try {
        return await work();
      } finally {
        await release();
      }
    });
  const settled = mine.catch(() => undefined);
  inProcess.set(key, settled);
  void settled.then(() => {
    if (inProcess.get(key) === settled) inProcess.delete(key);
  });
  return mine;
}

async function acquire(stateDir: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<() => Promise<void>> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'lock');
  const deadline = Date.now() + options.timeoutMs;
  const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    if (options.signal?.aborted) throw abortedError('waiting for the cache lock', options.signal.reason);
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder === 'stale') {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new VhbError(
        'VHB_E_SYNC_LOCKED',
        `cache folder ${stateDir} is locked by process ${holder?.pid ?? '?'} on ${holder?.host ?? '?'} since ${holder?.since ?? '?'}`,
        {
          hint: `wait for that sync to finish; if no such process runs any more, delete ${file}`,
        },
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function readHolder(file: string): Promise<{ pid: number; host: string; since: string } | 'stale' | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined; // gone meanwhile: try again
  }
  try {
    const holder = JSON.parse(text) as { pid: number; host: string; since: string };
    if (holder.host !== hostname()) return holder;
    if (holder.pid === process.pid) return 'stale'; // this process holds no lock it does not track
    try {
      process.kill(holder.pid, 0);
      return holder;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'stale' : holder;
    }
  } catch {
    // Written half by a process killed between creating and writing it: stale once it is old.
    const age = Date.now() - (await stat(file).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    return age > 5000 ? 'stale' : undefined;
  }
}
