import type { PluginHost, RegistryManager } from '@vhb/core';
import type { BusEvent } from './event-bus.js';
import { type ReadLock, readLock } from './lock.js';
import type { Plan } from './plan.js';
import { type LoadResult, loadPackages } from './plugins.js';

export interface PreparedPlugins {
  /** Every plugin the plan needs, loaded or with its error (`loadKey` → result). */
  results: Map<string, LoadResult>;
  /** Each run's `plugins.lock.json`, read unless `fresh` (run name → lock). */
  locks: Map<string, ReadLock>;
}

/**
 * The plan's `prepare` stage: reads each run's plugin lock (a re-run uses the plugins its lock
 * names, unless `fresh` re-resolves them), then loads every plugin the plan needs, once, and
 * publishes `plugins-start`, the stage's start and end, and `plugins-done`.
 */
export async function preparePlugins(
  options: { registry: RegistryManager; host: PluginHost; plan: Plan; fresh?: boolean; updatePlugins?: boolean },
  publish: (event: BusEvent) => void,
): Promise<PreparedPlugins> {
  const { plan } = options;
  const started = Date.now();
  const needs = plan.runs.flatMap((r) => [r.needs.task, r.needs.dataset, r.needs.adapter, ...r.needs.metrics, ...r.needs.reporters]);
  publish({ type: 'plugins-start', total: new Set(needs.map((n) => n.entry)).size });
  publish({ type: 'stage-start', stage: 'prepare' });
  const locks = new Map<string, ReadLock>();
  if (!options.fresh) await Promise.all(plan.runs.map(async (run) => locks.set(run.name, await readLock(run.spec.outDir))));
  const { results, environments } = await loadPackages(options.registry, options.host, plan.runs, locks, {
    refresh: options.updatePlugins,
  });
  const loads = [...results.values()];
  publish({ type: 'stage-end', stage: 'prepare', durationMs: Date.now() - started });
  publish({
    type: 'plugins-done',
    resolved: loads.filter((r) => r.ok).length,
    cached: loads.filter((r) => r.ok && r.loaded.cached).length,
    failed: loads.filter((r) => !r.ok).length,
    durationMs: Date.now() - started,
    environments,
  });
  return { results, locks };
}
