// One run of a plan, start to end: its plugins picked, its record written, its stages run (in
// process, or in the model's environment) and published as stage and item events.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedPlugin } from '@vhb/core';
import {
  type AdapterPlugin,
  executeRun,
  type ModelLimiter,
  parseOptions,
  type ReporterPlugin,
  type RunEvent,
  type RunFile,
  type RunPlugins,
  type SyncEvent,
  VhbError,
} from '@vhb/sdk';
import { openStorage, syncDataset } from '@vhb/storage';
import { stringify } from 'yaml';
import { REPORT_INDEX_FILE, type ReportIndex, type StageKind } from './dag.js';
import { environmentOf, runInModelEnvironment } from './environments/index.js';
import type { BusEvent } from './event-bus.js';
import type { RunOutcome } from './events.js';
import { commitOf, type PluginLock, type ReadLock } from './lock.js';
import { checkRunOptions } from './options.js';
import type { PlannedRun } from './plan.js';
import type { LoadResult } from './plugins.js';
import { pick } from './plugins.js';
import type { RunExperimentOptions } from './run-experiment.js';

interface RunPackages {
  plugins: RunPlugins;
  loaded: LoadedPlugin[];
}

function packagesOf(run: PlannedRun, results: Map<string, LoadResult>, read: ReadLock | undefined): RunPackages {
  if (read && !read.ok) throw read.error;
  const lock = read?.lock;
  const task = pick(results, run.needs.task, lock);
  const dataset = pick(results, run.needs.dataset, lock);
  const adapter = pick(results, run.needs.adapter, lock);
  const metrics = run.needs.metrics.map((need) => pick(results, need, lock));
  const reporters = run.needs.reporters.map((need) => pick(results, need, lock));
  return {
    plugins: {
      task: task.plugin as RunPlugins['task'],
      dataset: dataset.plugin as RunPlugins['dataset'],
      adapter: adapter.plugin as RunPlugins['adapter'],
      metrics: metrics.map((m) => m.plugin as RunPlugins['metrics'][number]),
      reporters: reporters.map((r) => r.plugin as RunPlugins['reporters'][number]),
    },
    loaded: [task, dataset, adapter, ...metrics, ...reporters],
  };
}

/** Writes what a run is about to do: the resolved plan, the plugin lock, and a run file its task's bin can run alone. */
async function writeRunRecord(run: PlannedRun, packages: RunPackages): Promise<void> {
  const { spec } = run;
  await mkdir(spec.outDir, { recursive: true });
  const lock: PluginLock = Object.fromEntries(
    await Promise.all(
      packages.loaded.map(async (p) => {
        const commit = await commitOf(p);
        const entry = { package: p.packageName, version: p.version, kind: p.kind, source: p.source, integrity: p.integrity ?? null };
        return [p.name, commit ? { ...entry, commit } : entry] as const;
      }),
    ),
  );
  const [task, dataset, adapter, ...rest] = packages.loaded;
  const runFile: RunFile = {
    spec,
    entries: {
      task: task?.entryFile,
      dataset: dataset?.entryFile ?? '',
      adapter: adapter?.entryFile ?? '',
      metrics: rest.slice(0, run.needs.metrics.length).map((p) => p.entryFile),
      reporters: rest.slice(run.needs.metrics.length).map((p) => p.entryFile),
    },
  };
  await Promise.all([
    writeFile(join(spec.outDir, 'plan.resolved.yaml'), stringify({ ...spec, packages: lock })),
    writeFile(join(spec.outDir, 'plugins.lock.json'), `${JSON.stringify(lock, null, 2)}\n`),
    writeFile(join(spec.outDir, 'run.json'), `${JSON.stringify(runFile, null, 2)}\n`),
  ]);
}

async function unavailable(adapter: AdapterPlugin, run: PlannedRun, env: Record<string, string | undefined>): Promise<string | undefined> {
  if (!adapter.unavailable) return undefined;
  const { spec } = run;
  const options = parseOptions(adapter, spec.model.options);
  const model = { name: spec.model.model, modelId: spec.model.modelId, endpoint: spec.model.endpoint };
  const quiet = { debug() {}, info() {}, warn() {} };
  return adapter.unavailable(options, { logger: quiet, env, model });
}

export async function runOne(
  run: PlannedRun,
  results: Map<string, LoadResult>,
  locks: ReadonlyMap<string, ReadLock>,
  options: RunExperimentOptions,
  limiter: ModelLimiter | undefined,
  onEvent: (event: BusEvent) => void,
): Promise<RunOutcome> {
  const env = options.env ?? process.env;
  const started = Date.now();
  const base = { run: run.name, dataset: run.spec.dataset.name, outDir: run.spec.outDir };
  onEvent({ type: 'run-start', run: run.name, dataset: base.dataset });
  let outcome: RunOutcome;
  try {
    const packages = packagesOf(run, results, locks.get(run.name));
    checkRunOptions(options.registry, run, packages.plugins);
    const reason = await unavailable(packages.plugins.adapter, run, env);
    if (reason) {
      outcome = { ...base, status: 'skipped', reason, durationMs: Date.now() - started };
    } else {
      if (options.fresh) await rm(run.spec.outDir, { recursive: true, force: true });
      const stages = stageTracker(run.name, onEvent);
      if (run.sync) {
        stages.enter('sync');
        await syncRunDataset(run, run.sync, env, options.signal, (event) => onEvent({ type: 'run-event', run: run.name, event })).catch(
          (error) => {
            stages.fail(error);
            throw error;
          },
        );
        stages.leave();
      }
      await writeRunRecord(run, packages);
      const reports: ReportIndex = { reports: [] };
      const plugins = { ...packages.plugins, reporters: packages.plugins.reporters.map((r, i) => recording(r, i, run, reports)) };
      const onRunEvent = (event: RunEvent) => {
        stages.see(event);
        onEvent({ type: 'run-event', run: run.name, event });
      };
      const environment = environmentOf(options.registry, run);
      // A model with an environment (docker) runs the task's bin there, with the same events; else executeRun here.
      const running =
        environment.kind === 'local'
          ? executeRun(run.spec, plugins, {
              onEvent: onRunEvent,
              signal: options.signal,
              env,
              ...(limiter ? { limiter } : {}),
              // Starting over means asking again, not replaying cached answers.
              ...(options.fresh ? { refreshCache: true } : {}),
            })
          : runInModelEnvironment({
              run,
              environment,
              loaded: packages.loaded,
              env,
              root: options.registry.root,
              host: options.host,
              ...(options.fresh ? { refreshCache: true } : {}),
              ...(options.signal ? { signal: options.signal } : {}),
              onEvent: onRunEvent,
            }).then((done) => {
              reports.reports = done.reports.reports;
              return done.summary;
            });
      const summary = await running.catch((error) => {
        stages.fail(error);
        throw error;
      });
      await writeFile(join(run.spec.outDir, REPORT_INDEX_FILE), `${JSON.stringify(reports, null, 2)}\n`);
      stages.leave();
      outcome = { ...base, status: 'ok', summary, durationMs: Date.now() - started };
    }
  } catch (error) {
    const vhb = error instanceof VhbError ? error : undefined;
    const message = (error as Error)?.message ?? String(error);
    outcome = {
      ...base,
      status: 'failed',
      reason: vhb?.hint ? `${message}\n${vhb.hint}` : message,
      code: vhb?.code ?? 'VHB_E_RUN_FAILED',
      durationMs: Date.now() - started,
    };
  }
  onEvent({ type: 'run-end', outcome });
  return outcome;
}

/**
 * Publishes a run's stage events: start, end and failure of sync, inference, evaluation and report
 * (from executeRun's `stage` events), and `item-done` with the time since inference started.
 */
function stageTracker(run: string, publish: (event: BusEvent) => void) {
  let current: { stage: StageKind; started: number } | undefined;
  let inferenceStarted = Date.now();
  const leave = () => {
    if (current) publish({ type: 'stage-end', run, stage: current.stage, durationMs: Date.now() - current.started });
    current = undefined;
  };
  const enter = (stage: StageKind) => {
    leave();
    current = { stage, started: Date.now() };
    if (stage === 'inference') inferenceStarted = current.started;
    publish({ type: 'stage-start', run, stage });
  };
  return {
    enter,
    leave,
    see(event: RunEvent) {
      if (event.type === 'stage') enter(event.stage);
      else if (event.type === 'item') {
        const { id, ok, done, total, cached, attempts } = event;
        publish({
          type: 'item-done',
          run,
          id,
          ok,
          done,
          total,
          elapsedMs: Date.now() - inferenceStarted,
          ...(cached === undefined ? {} : { cached }),
          ...(attempts === undefined ? {} : { attempts }),
        });
      }
    },
    fail(error: unknown) {
      if (!current) return;
      const code = error instanceof VhbError ? error.code : 'VHB_E_RUN_FAILED';
      const message = (error as Error)?.message ?? String(error);
      publish({ type: 'stage-failed', run, stage: current.stage, durationMs: Date.now() - current.started, code, message });
      current = undefined;
    },
  };
}

/** The reporter, noting the files it renders into the run's report index (so `vhb plan` can tell reports are done). */
function recording(reporter: ReporterPlugin, index: number, run: PlannedRun, into: ReportIndex): ReporterPlugin {
  const wrapped: ReporterPlugin = Object.create(reporter);
  wrapped.render = async (summary, options, ctx) => {
    const files = await reporter.render(summary, options, ctx);
    into.reports[index] = { name: run.spec.reporters[index]?.name ?? reporter.name, files: files.map((f) => f.path) };
    return files;
  };
  return wrapped;
}

/** Brings the run's dataset folder up to its stored copy (only missing or changed files move; every hash verified). */
async function syncRunDataset(
  run: PlannedRun,
  sync: NonNullable<PlannedRun['sync']>,
  env: Record<string, string | undefined>,
  signal: AbortSignal | undefined,
  onEvent: (event: SyncEvent) => void,
): Promise<void> {
  const storage = openStorage(sync.from, { env: env as NodeJS.ProcessEnv });
  await syncDataset({
    storage,
    prefix: '',
    cacheDir: run.spec.dataset.root,
    onProgress: onEvent,
    ...(sync.concurrency ? { concurrency: sync.concurrency } : {}),
    ...(sync.verify ? { verify: sync.verify } : {}),
    ...(signal ? { signal } : {}),
  });
}
