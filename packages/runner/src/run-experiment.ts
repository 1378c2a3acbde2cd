import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedPlugin, PluginHost, RegistryManager } from '@vhb/core';
import {
  type AdapterPlugin,
  executeRun,
  forEachLimited,
  ModelLimiter,
  parseOptions,
  type ReporterPlugin,
  type RunEvent,
  type RunFile,
  type RunPlugins,
  type SyncEvent,
  VhbError,
} from '@vhb/sdk';
import { openStorage, syncDataset, uploadResults } from '@vhb/storage';
import { stringify } from 'yaml';
import { planResultsDir, planStages, REPORT_INDEX_FILE, type ReportIndex, type StageKind } from './dag.js';
import { type BusEvent, EVENTS_FILE, EventBus, type EventsWriter, isRunnerEvent, openEventsFile } from './event-bus.js';
import type { RunnerEvent, RunOutcome } from './events.js';
import { commitOf, type PluginLock, type ReadLock, readLock } from './lock.js';
import { checkRunOptions } from './options.js';
import type { Plan, PlannedRun } from './plan.js';
import { type LoadResult, loadPackages, pick } from './plugins.js';
import { TRACKER_FILE, type Tracker, trackerFor, trackStages } from './tracker/index.js';

export interface RunExperimentOptions {
  registry: RegistryManager;
  host: PluginHost;
  plan: Plan;
  onEvent?: (event: RunnerEvent) => void;
  signal?: AbortSignal;
  /**
   * Forget earlier results of these runs and start them over, re-resolving every plugin from the
   * registries. Without it, a run whose folder holds a `plugins.lock.json` uses exactly the locked plugins.
   */
  fresh?: boolean;
  /** Install npm plugins again (a new environment swapped in), so version ranges pick up newer releases. */
  updatePlugins?: boolean;
  env?: Record<string, string | undefined>;
  /** Where the runner publishes every event (RunnerEvents, stage and item events); one is made when not given. */
  bus?: EventBus;
  /** The event log the bus is appended to: `results/<plan>/events.jsonl` by default; `false`: none. */
  eventsFile?: string | false;
  /** The stage tracker's database (a path or `sqlite:` URL): `results/<plan>/tracker.sqlite` by default; `false`: none. */
  tracker?: string | false;
}

export interface ExperimentResult {
  plan: Plan;
  outcomes: RunOutcome[];
}

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

/**
 * One concurrency limiter per model name, shared by every run of the plan that uses the model: its
 * limit is the smallest `inference.concurrency` those runs set, else the first session's own.
 */
export function modelLimiters(runs: readonly PlannedRun[]): Map<string, ModelLimiter> {
  const explicit = new Map<string, number | undefined>();
  for (const run of runs) {
    const model = run.spec.model.name;
    const wanted = run.spec.inference?.concurrency;
    const current = explicit.get(model);
    explicit.set(model, wanted === undefined ? current : Math.min(current ?? wanted, wanted));
  }
  return new Map([...explicit].map(([model, limit]) => [model, new ModelLimiter(limit)]));
}

async function runOne(
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
      const summary = await executeRun(run.spec, plugins, {
        onEvent: (event) => {
          stages.see(event);
          onEvent({ type: 'run-event', run: run.name, event });
        },
        signal: options.signal,
        env,
        ...(limiter ? { limiter } : {}),
        // Starting over means asking again, not replaying cached answers.
        ...(options.fresh ? { refreshCache: true } : {}),
      }).catch((error) => {
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

/** Sends a finished run's results folder to `<to>/<plan>/<run>/`; a failure is reported, and the results stay on disk. */
async function uploadRun(
  planName: string,
  to: string,
  run: PlannedRun,
  options: RunExperimentOptions,
  onEvent: (event: BusEvent) => void,
): Promise<void> {
  const env = options.env ?? process.env;
  try {
    const storage = openStorage(to, { env: env as NodeJS.ProcessEnv });
    const result = await uploadResults({
      storage,
      prefix: `${planName}/${run.name}`,
      dir: run.spec.outDir,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const uploaded = result.uploaded.length;
    onEvent({ type: 'run-uploaded', run: run.name, to, uploaded, unchanged: result.unchanged.length, bytes: result.bytesUploaded });
  } catch (error) {
    onEvent({ type: 'run-upload-failed', run: run.name, to, message: (error as Error)?.message ?? String(error) });
  }
}

/**
 * Runs a plan: loads every plugin it needs (once, cached), then its runs, `parallelism` at a time.
 * A run that cannot load a plugin, or whose adapter cannot run here, fails or is skipped alone.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentResult> {
  const { plan } = options;
  const bus = options.bus ?? new EventBus();
  const callback = options.onEvent;
  const unsubscribe = callback ? bus.subscribe((event) => isRunnerEvent(event) && callback(event)) : () => {};
  const planDir = planResultsDir(plan);
  const eventsPath = options.eventsFile ?? (planDir ? join(planDir, EVENTS_FILE) : false);
  let writer: EventsWriter | undefined;
  let unlog = () => {};
  if (eventsPath) {
    writer = await openEventsFile(eventsPath);
    unlog = bus.subscribe(writer.listener);
  }
  const trackerPath = options.tracker ?? (planDir ? join(planDir, TRACKER_FILE) : false);
  let tracker: Tracker | undefined;
  let untrack = () => {};
  try {
    if (trackerPath) {
      tracker = await trackerFor(trackerPath);
      untrack = trackStages(bus, tracker, planStages(plan));
    }
    return await runPlan(options, bus);
  } finally {
    unsubscribe();
    unlog();
    untrack();
    await writer?.close();
    // The results are on disk whatever happens to the tracker: a failed last write does not fail the plan.
    await tracker?.close().catch(() => {});
  }
}

async function runPlan(options: RunExperimentOptions, bus: EventBus): Promise<ExperimentResult> {
  const onEvent = (event: BusEvent) => bus.publish(event);
  const { plan } = options;
  const started = Date.now();
  const total = new Set(
    plan.runs.flatMap((r) =>
      [r.needs.task, r.needs.dataset, r.needs.adapter, ...r.needs.metrics, ...r.needs.reporters].map((n) => n.entry),
    ),
  ).size;
  onEvent({ type: 'plugins-start', total });
  onEvent({ type: 'stage-start', stage: 'prepare' });
  // A re-run of a results folder uses the plugins its lock names, unless `fresh` re-resolves them.
  const locks = new Map<string, ReadLock>();
  if (!options.fresh) {
    await Promise.all(plan.runs.map(async (run) => locks.set(run.name, await readLock(run.spec.outDir))));
  }
  const { results, environments } = await loadPackages(options.registry, options.host, plan.runs, locks, {
    refresh: options.updatePlugins,
  });
  const loads = [...results.values()];
  onEvent({ type: 'stage-end', stage: 'prepare', durationMs: Date.now() - started });
  onEvent({
    type: 'plugins-done',
    resolved: loads.filter((r) => r.ok).length,
    cached: loads.filter((r) => r.ok && r.loaded.cached).length,
    failed: loads.filter((r) => !r.ok).length,
    durationMs: Date.now() - started,
    environments,
  });

  const limiters = modelLimiters(plan.runs);
  const outcomes: RunOutcome[] = new Array(plan.runs.length);
  await forEachLimited(
    plan.runs.length,
    plan.parallelism,
    async (index) => {
      const run = plan.runs[index] as PlannedRun;
      const outcome = await runOne(run, results, locks, options, limiters.get(run.spec.model.name), onEvent);
      outcomes[index] = outcome;
      if (plan.upload && outcome.status === 'ok') await uploadRun(plan.name, plan.upload, run, options, onEvent);
    },
    options.signal,
  );
  return { plan, outcomes: outcomes.filter(Boolean) };
}
