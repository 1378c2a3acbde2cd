import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DependencySource, LoadedPlugin } from '@vhb/core';
import { VhbError } from '@vhb/sdk';

/** File a run's folder holds with the plugins it ran with. */
export const LOCK_FILE = 'plugins.lock.json';

/** One plugin of a run, as `plugins.lock.json` records it. */
export interface LockEntry {
  package: string;
  version: string;
  kind: string;
  source: DependencySource;
  integrity: string | null;
  /** Commit checked out, for git sources. */
  commit?: string;
}

/** `plugins.lock.json`: registry entry name → the plugin the run used. */
export type PluginLock = Record<string, LockEntry>;

/** A run's lock as read from its folder: none, the lock, or why it cannot be used. */
export type ReadLock = { ok: true; lock: PluginLock | undefined } | { ok: false; error: VhbError };

function isLockEntry(value: unknown): value is LockEntry {
  const entry = value as LockEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.package === 'string' &&
    typeof entry.version === 'string' &&
    typeof entry.source === 'object' &&
    entry.source !== null &&
    typeof entry.source.type === 'string'
  );
}

/** Reads `<outDir>/plugins.lock.json`; a missing file is no lock, a damaged one an error. */
export async function readLock(outDir: string): Promise<ReadLock> {
  const file = join(outDir, LOCK_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, lock: undefined };
    return { ok: false, error: lockError(`cannot read ${file}: ${(error as Error).message}`, error) };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
    for (const [name, entry] of Object.entries(parsed)) {
      if (!isLockEntry(entry)) throw new Error(`entry "${name}" has no package, version or source`);
    }
    return { ok: true, lock: parsed as PluginLock };
  } catch (error) {
    return { ok: false, error: lockError(`${file} is damaged: ${(error as Error).message}`, error) };
  }
}

function lockError(message: string, cause: unknown): VhbError {
  return new VhbError('VHB_E_PLUGIN_LOCK', message, { hint: 'delete the file, or use --fresh to re-resolve every plugin', cause });
}

/** The source a locked plugin is loaded from: npm at the exact version, git at the commit (else the ref), local as is. */
export function pinnedSource(entry: LockEntry): DependencySource {
  const { source } = entry;
  switch (source.type) {
    case 'npm':
      return { ...source, version: entry.version };
    case 'git':
      return { ...source, ref: entry.commit ?? source.ref };
    default:
      return source;
  }
}

/** Key of a pinned load: the same locked plugin is loaded once for every run that locked it. */
export function pinnedKey(name: string, entry: LockEntry): string {
  return `${name}\u0000${JSON.stringify(pinnedSource(entry))}`;
}

/** The error of a locked plugin that cannot be installed or loaded. */
export function lockedLoadError(name: string, entry: LockEntry, cause: unknown): VhbError {
  const why = (cause as Error)?.message ?? String(cause);
  const at =
    entry.source.type === 'git' ? `${entry.version} (commit ${entry.commit ?? (entry.source as { ref: string }).ref})` : entry.version;
  return new VhbError(
    'VHB_E_PLUGIN_LOCK',
    `plugin "${name}" is locked by ${LOCK_FILE} to ${entry.package}@${at}, which cannot be installed: ${why}`,
    { hint: 'make that version available again, or use --fresh to re-resolve the plugins from the registries', cause },
  );
}

/** The error of a locked npm plugin whose tarball is not the one the lock recorded. */
export function integrityError(name: string, entry: LockEntry, found: string): VhbError {
  return new VhbError(
    'VHB_E_PLUGIN_LOCK',
    `plugin "${name}" is locked by ${LOCK_FILE} to ${entry.package}@${entry.version} with integrity ${entry.integrity}, but the installed tarball has ${found}`,
    { hint: 'the registry serves different content under the same version: check it, or use --fresh to re-resolve the plugins' },
  );
}

/** The commit a git plugin was checked out at, from the host's install marker above its package folder. */
export async function commitOf(plugin: LoadedPlugin): Promise<string | undefined> {
  if (plugin.source.type !== 'git') return undefined;
  let dir = plugin.packageDir;
  for (let depth = 0; depth < 8; depth += 1) {
    try {
      const marker = JSON.parse(await readFile(join(dir, '.vhb-install.json'), 'utf8')) as { commit?: unknown };
      return typeof marker.commit === 'string' ? marker.commit : undefined;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
  return undefined;
}
