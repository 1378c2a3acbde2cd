import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { type Storage, syncDataset, uploadResults } from '@vhb/storage';
import type { Mount, RunRequest } from './contract.js';

/** A mount as the pod's agent sees it: the storage key its files go through and where they land. */
export interface StagedMount {
  source: string;
  target: string;
  readOnly: boolean;
  key: string;
}

/** `<job>/job.json`: what the agent runs. */
export interface JobFile {
  command: string[];
  cwd?: string;
  mounts: { key: string; target: string; readOnly: boolean }[];
  /** Variables the agent removes before starting the command (its own, and the storage's credentials). */
  strip: string[];
}

/** What the agent leaves in `<job>/exit.json`. */
export interface ExitFile {
  exitCode?: number;
  error?: string;
  code?: string;
}

export function stageMounts(job: string, mounts: Mount[]): StagedMount[] {
  return mounts.map((mount, index) => {
    const source = resolve(mount.source);
    return { source, target: mount.target ?? source, readOnly: mount.readOnly === true, key: `${job}/mounts/${index}` };
  });
}

/** Uploads every mount's folder (a writable one too: it may hold a half-done run to continue). */
export async function uploadMounts(storage: Storage, mounts: StagedMount[], signal?: AbortSignal): Promise<void> {
  for (const mount of mounts) {
    if (!mount.readOnly) await mkdir(mount.source, { recursive: true });
    await uploadResults({ storage, prefix: mount.key, dir: mount.source, ...(signal ? { signal } : {}) });
  }
}

const SYNC_FILES = new Set(['vhb-dataset.json', '.vhb-sync']);

/**
 * Brings each writable mount back from the storage into its host folder. Through a temp folder,
 * so the sync's own files (`vhb-dataset.json`, `.vhb-sync/`) never land among the results.
 */
export async function collectMounts(storage: Storage, mounts: StagedMount[], signal?: AbortSignal): Promise<void> {
  for (const mount of mounts) {
    if (mount.readOnly) continue;
    const temp = await mkdtemp(join(tmpdir(), 'vhb-runpod-'));
    try {
      await syncDataset({ storage, prefix: mount.key, cacheDir: temp, ...(signal ? { signal } : {}) });
      await cp(temp, mount.source, {
        recursive: true,
        force: true,
        filter: (path) => !SYNC_FILES.has(relative(temp, path).split(sep)[0] ?? ''),
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}

async function readText(storage: Storage, key: string): Promise<string | undefined> {
  if (!(await storage.stat(key))) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

export async function readExit(storage: Storage, job: string): Promise<ExitFile> {
  return JSON.parse((await readText(storage, `${job}/exit.json`)) ?? '{}') as ExitFile;
}

/** Hands the command's output, kept by the agent, to `onLog` line by line (masked). */
export async function replayLogs(storage: Storage, job: string, onLog: RunRequest['onLog'], mask: (text: string) => string): Promise<void> {
  if (!onLog) return;
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = await readText(storage, `${job}/${stream}.log`);
    if (!text) continue;
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) onLog(mask(line), stream);
  }
}

/** Deletes everything a job left in the storage. */
export async function deleteJob(storage: Storage, job: string): Promise<void> {
  const keys: string[] = [];
  for await (const object of storage.list(`${job}/`)) keys.push(object.key);
  for (const key of keys) await storage.delete(key);
}
