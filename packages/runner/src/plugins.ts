import type { LoadedPlugin, LoadRequest, PluginHost, PreparedEnvironment, RegistryManager } from '@vhb/core';
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

/** What loading a plan's packages gave: each load's result, and the environments npm packages went into. */
export interface LoadedPackages {
  results: Map<string, LoadResult>;
  environments: PreparedEnvironment[];
}

interface Need {
  need: PackageNeed;
  locked?: LockEntry;
  /** The load request, or why there can be none. */
  request: LoadRequest | VhbError;
}

/**
 * Loads every package the runs need, once each and all at once; one broken package fails only its runs.
 * npm packages are first installed together into one environment folder (`refresh`: installed again).
 * With `locks` (run name → the run folder's `plugins.lock.json`), a need the run's lock names is
 * loaded exactly as locked: npm at the locked version, git at the locked commit, local as is.
 */
export async function loadPackages(
  registry: RegistryManager,
  host: PluginHost,
  runs: readonly PlannedRun[],
  locks?: ReadonlyMap<string, ReadLock>,
  options: { refresh?: boolean } = {},
): Promise<LoadedPackages> {
  const needs = new Map<string, Need>();
  for (const run of runs) {
    const read = locks?.get(run.name);
    const lock = read?.ok ? read.lock : undefined;
    const { task, dataset, adapter, metrics, reporters } = run.needs;
    for (const need of [task, dataset, adapter, ...metrics, ...reporters]) {
      const locked = lockedFor(lock, need);
      needs.set(loadKey(need, lock), { need, ...(locked ? { locked } : {}), request: requestFor(registry, need, locked) });
    }
  }
  const requests = [...needs.values()].flatMap(({ request }) => (request instanceof VhbError ? [] : [request]));
  const environments = await host.prepare(requests, options);
  const results = new Map<string, LoadResult>();
  await Promise.all(
    [...needs.entries()].map(async ([key, { locked, request }]) => {
      try {
        if (request instanceof VhbError) throw request;
        const loaded = locked ? await loadLocked(host, request, locked) : await host.load(request);
        results.set(key, { ok: true, loaded });
      } catch (error) {
        results.set(key, { ok: false, error: toVhbError(error) });
      }
    }),
  );
  return { results, environments };
}

/** The host request for a need: from its lock when one pins it, else from its registry entry. */
function requestFor(registry: RegistryManager, need: PackageNeed, locked: LockEntry | undefined): LoadRequest | VhbError {
  const found = registry.get('packages', need.entry);
  const file = found?.file;
  if (locked) return { name: need.entry, ...(file ? { file } : {}), source: pinnedSource(locked), kind: need.kind };
  if (!found) return new VhbError('VHB_E_PLAN_REFERENCE', `package "${need.entry}" is not defined`, { hint: 'run `vhb validate`' });
  return { name: need.entry, file: found.file, source: found.entry.source, kind: need.kind };
}

/** Loads a plugin as its lock says; an npm tarball must have the locked integrity. */
async function loadLocked(host: PluginHost, request: LoadRequest, locked: LockEntry): Promise<LoadedPlugin> {
  let loaded: LoadedPlugin;
  try {
    loaded = await host.load(request);
  } catch (error) {
    throw lockedLoadError(request.name, locked, error);
  }
  if (locked.integrity && loaded.integrity && loaded.integrity !== locked.integrity) {
    throw integrityError(request.name, locked, loaded.integrity);
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
