import { mkdir, writeFile } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import type { LoadedPlugin } from '@vhb/core';
import { type RunEvent, type RunFile, type RunSummary, VhbError } from '@vhb/sdk';
import type { ReportIndex } from '../dag.js';
import type { PlannedRun } from '../plan.js';
import { type BinLine, parseBinLine } from './bin-protocol.js';
import type { EnvManager, Mount } from './contract.js';
import { environmentError } from './environment-errors.js';
import { LineTail } from './lines.js';
import { hostNpmRegistry, npmOriginOf, type RegistryOf, taskBinOf } from './plugin-origin.js';

/** The plugins of one run as the host loaded them, in the run's order. */
export interface RunPackagesLoaded {
  task: LoadedPlugin;
  dataset: LoadedPlugin;
  adapter: LoadedPlugin;
  metrics: LoadedPlugin[];
  reporters: LoadedPlugin[];
}

export interface EnvironmentRunOptions {
  run: PlannedRun;
  plugins: RunPackagesLoaded;
  manager: EnvManager;
  /** The registry the host installed an npm source from (`PluginHost.npmRegistryOf`); npm's own configuration when it says none. */
  registryOf: RegistryOf;
  /** Variables the task's bin gets (API keys): secrets, masked in every line it prints. */
  env?: Record<string, string>;
  /** Folders the bin sees beside the results, dataset and cache folders. */
  mounts?: Mount[];
  /** Ask every item again instead of answering from the response cache (`--fresh`). */
  refreshCache?: boolean;
  signal?: AbortSignal;
  /** The run's events, as `executeRun` would give them in process: stages, items, retries, logs. */
  onEvent: (event: RunEvent) => void;
}

export interface EnvironmentRunResult {
  summary: RunSummary;
  reports: ReportIndex;
}

/** The name of the run file written for an environment, beside the host's own `run.json`. */
export const environmentRunFile = (kind: string) => `run.${kind}.json`;

/**
 * Runs one run's task bin in an environment: installs the run's plugins there with npm (each at the
 * exact version the host loaded, from the registry it came from), writes a run file whose entries
 * point into the environment's plugin folder, mounts the results, dataset and cache folders at their
 * own paths (so the spec is unchanged), and turns the bin's `--events` lines back into run events.
 * Everything else the bin prints becomes a `log` event. The caller cleans the manager up.
 */
export async function runInEnvironment(options: EnvironmentRunOptions): Promise<EnvironmentRunResult> {
  const { run, plugins, manager, onEvent } = options;
  const { spec } = run;
  const all = [plugins.task, plugins.dataset, plugins.adapter, ...plugins.metrics, ...plugins.reporters];
  const where = `the ${manager.kind} environment of model "${spec.model.model}"`;
  const named = all.map((plugin) => npmOriginOf(plugin, where, options.registryOf));
  // Without a registry named anywhere the host used npm's configured one: the environment must too.
  const configured = named.some((o) => o.registry === undefined) ? await hostNpmRegistry() : undefined;
  const origins = named.map((o) => ({ ...o, registry: o.registry ?? configured }));
  const registries = [...new Set(origins.map((o) => o.registry ?? "npm's default registry"))];
  if (registries.length > 1) {
    throw environmentError(
      'VHB_E_ENV_SOURCE',
      `the plugins of run "${run.name}" come from several npm registries (${registries.join(', ')}); ${where} installs from one`,
      'publish them to one registry, or give their package entries the same `registry`',
    );
  }
  const bin = await taskBinOf(plugins.task);
  const packages = [...new Set(origins.map((o) => o.spec))];
  onEvent({ type: 'log', level: 'info', message: `installing ${packages.join(', ')} in ${where}` });
  const { pluginDir } = await manager.setup({
    packages,
    ...(origins[0]?.registry ? { registry: origins[0].registry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onLog: (line) => onEvent({ type: 'log', level: 'debug', message: line }),
  });

  const inside = (plugin: LoadedPlugin, file: string) =>
    posix.join(pluginDir, 'node_modules', plugin.packageName, relative(plugin.packageDir, file).split(sep).join('/'));
  const runFile: RunFile = {
    spec,
    entries: {
      task: inside(plugins.task, plugins.task.entryFile),
      dataset: inside(plugins.dataset, plugins.dataset.entryFile),
      adapter: inside(plugins.adapter, plugins.adapter.entryFile),
      metrics: plugins.metrics.map((p) => inside(p, p.entryFile)),
      reporters: plugins.reporters.map((p) => inside(p, p.entryFile)),
    },
  };
  const runFilePath = join(spec.outDir, environmentRunFile(manager.kind));
  await mkdir(spec.outDir, { recursive: true });
  if (spec.cacheDir) await mkdir(spec.cacheDir, { recursive: true });
  await writeFile(runFilePath, `${JSON.stringify(runFile, null, 2)}\n`);

  let summary: Extract<BinLine, { vhb: 'summary' }> | undefined;
  let failure: Extract<BinLine, { vhb: 'error' }> | undefined;
  const tail = new LineTail();
  const command = ['node', posix.join(pluginDir, 'node_modules', plugins.task.packageName, bin), '--run', runFilePath, '--events'];
  if (options.refreshCache) command.push('--refresh-cache');
  const { exitCode } = await manager.run({
    command,
    cwd: spec.outDir,
    env: options.env ?? {},
    mounts: distinctMounts([
      { source: spec.outDir },
      ...(spec.cacheDir ? [{ source: spec.cacheDir }] : []),
      { source: spec.dataset.root, readOnly: true },
      ...(options.mounts ?? []),
    ]),
    ...(options.signal ? { signal: options.signal } : {}),
    onLog: (line, stream) => {
      const said = stream === 'stdout' ? parseBinLine(line) : undefined;
      if (said?.vhb === 'event') onEvent(said.event);
      else if (said?.vhb === 'summary') summary = said;
      else if (said?.vhb === 'error') failure = said;
      else if (line.trim()) {
        tail.push(line);
        onEvent({ type: 'log', level: 'info', message: line });
      }
    },
  });
  if (summary) return { summary: summary.summary, reports: { reports: summary.reports } };
  if (failure) throw new VhbError(failure.code, failure.message, failure.hint ? { hint: failure.hint } : {});
  throw environmentError(
    'VHB_E_ENV_RUN',
    `${plugins.task.packageName}'s bin ended (exit ${exitCode}) in ${where} without a result${tail.toString() ? `:\n${tail}` : ''}`,
    `the task package's @vhb/sdk must know \`--events\` (publish it against a newer @vhb/sdk); the lines above say what else went wrong`,
  );
}

/** One mount per target (docker refuses two): the first one given wins, so writable folders go first. */
export function distinctMounts(mounts: readonly Mount[]): Mount[] {
  const byTarget = new Map<string, Mount>();
  for (const mount of mounts) {
    const target = resolve(mount.target ?? mount.source);
    if (!byTarget.has(target)) byTarget.set(target, mount);
  }
  return [...byTarget.values()];
}
