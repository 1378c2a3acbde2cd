import type { LoadedPlugin, PluginHost, RegistryManager } from '@vhb/core';
import { type MetricPlugin, VhbError } from '@vhb/sdk';
import { integrityError, type LockEntry, lockedLoadError, type PluginLock, pinnedKey, pinnedSource, type ReadLock } from './lock.js';
import type { PackageNeed, PlannedRun } from './plan.js';

/** A package load that failed: the error, kept to fail only the runs that need it. */
export type LoadResult = { ok: true; loaded: LoadedPlugin } | { ok: false; error: VhbError };

function toVhbError(error: unknown): VhbError {
  if (error instanceof VhbError) return error;
  return new VhbError('VHB_E_PLUGIN_LOAD', (error as Error)?.message ?? String(error), { cause: error });
}

/** The lock entry a run's need is pinned to, when the run's folder holds a lock that names it. */
function lockedFor(lock: PluginLock | undefined, need: PackageNeed): LockEntry | undefined {
  const entry = lock?.[need.entry];
  return entry && Object.hasOwn(lock ?? {}, need.entry) ? entry : undefined;
}

/** Key a need is loaded under: the entry name, or the entry and its locked source when a lock pins it. */
export function loadKey(need: PackageNeed, lock?: PluginLock): string {
  const entry = lockedFor(lock, need);
  return entry ? pinnedKey(need.entry, entry) : need.entry;
}

/**
 * Loads every package the runs need, once each and all at once; one broken package fails only its runs.
 * With `locks` (run name → the run folder's `plugins.lock.json`), a need the run's lock names is
 * loaded exactly as locked: npm at the locked version, git at the locked commit, local as is.
 */
export async function loadPackages(
  registry: RegistryManager,
  host: PluginHost,
  runs: readonly PlannedRun[],
  locks?: ReadonlyMap<string, ReadLock>,
): Promise<Map<string, LoadResult>> {
  const needs = new Map<string, { need: PackageNeed; locked?: LockEntry }>();
  for (const run of runs) {
    const read = locks?.get(run.name);
    const lock = read?.ok ? read.lock : undefined;
    const { task, dataset, adapter, metrics, reporters } = run.needs;
    for (const need of [task, dataset, adapter, ...metrics, ...reporters]) {
      needs.set(loadKey(need, lock), { need, locked: lockedFor(lock, need) });
    }
  }
  const results = new Map<string, LoadResult>();
  await Promise.all(
    [...needs.entries()].map(async ([key, { need, locked }]) => {
      try {
        const found = registry.get('packages', need.entry);
        if (locked) {
          results.set(key, { ok: true, loaded: await loadLocked(host, need, locked, found?.file) });
          return;
        }
        if (!found) throw new VhbError('VHB_E_PLAN_REFERENCE', `package "${need.entry}" is not defined`, { hint: 'run `vhb validate`' });
        const loaded = await host.load({ name: need.entry, file: found.file, source: found.entry.source, kind: need.kind });
        results.set(key, { ok: true, loaded });
      } catch (error) {
        results.set(key, { ok: false, error: toVhbError(error) });
      }
    }),
  );
  return results;
}

/** Loads a plugin as its lock says; an npm tarball must have the locked integrity. */
async function loadLocked(host: PluginHost, need: PackageNeed, locked: LockEntry, file: string | undefined): Promise<LoadedPlugin> {
  let loaded: LoadedPlugin;
  try {
    loaded = await host.load({ name: need.entry, ...(file ? { file } : {}), source: pinnedSource(locked), kind: need.kind });
  } catch (error) {
    throw lockedLoadError(need.entry, locked, error);
  }
  if (locked.integrity && loaded.integrity && loaded.integrity !== locked.integrity) {
    throw integrityError(need.entry, locked, loaded.integrity);
  }
  // Keep the source as the lock has it (a range, a branch): the next lock is then the same file.
  return { ...loaded, source: locked.source };
}

/** The loaded plugin for a need, or the reason the run cannot have it. */
export function pick(results: Map<string, LoadResult>, need: PackageNeed, lock?: PluginLock): LoadedPlugin {
  const result = results.get(loadKey(need, lock));
  if (!result) throw new VhbError('VHB_E_PLUGIN_LOAD', `package "${need.entry}" was not loaded`);
  if (!result.ok) throw result.error;
  if (need.version !== undefined) return { ...result.loaded, plugin: pinnedVersion(result.loaded, need) };
  return result.loaded;
}

/** The metric of the pinned algorithm version: the package's current one, or one it still provides. */
function pinnedVersion(loaded: LoadedPlugin, need: PackageNeed): MetricPlugin {
  const current = loaded.plugin as MetricPlugin;
  const all = [current, ...(current.previousVersions ?? [])];
  const found = all.find((metric) => metric.algorithmVersion === need.version);
  if (found) return found;
  const versions = all.map((metric) => metric.algorithmVersion).join(', ');
  throw new VhbError(
    'VHB_E_METRIC_VERSION',
    `metric "${current.name}" from package "${need.entry}" has no algorithm version ${need.version} (it provides ${versions})`,
    {
      hint: `pin one of ${versions}, or point the package entry at a release of ${loaded.packageName} that provides version ${need.version}`,
    },
  );
}
