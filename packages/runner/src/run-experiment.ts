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
import { environmentOf, runInModelEnvironment } from './environments/index.js';
import { type BusEvent, EVENTS_FILE, EventBus, type EventsWriter, isRunnerEvent, openEventsFile } from './event-bus.js';
import type { RunnerEvent, RunOutcome } from './events.js';
import { commitOf, type PluginLock, type ReadLock } from './lock.js';
import { checkRunOptions } from './options.js';
import type { Plan, PlannedRun } from './plan.js';
import type { LoadResult } from './plugins.js';
import { pick } from './plugins.js';
import { preparePlugins } from './prepare.js';
import { startResourceSampler } from './resource-sampler.js';
import { type DatasetListings, finishedEarlier, recordFinished } from './reuse.js';
import { SharedInference } from './shared-inference.js';
import { TRACKER_FILE, type Tracker, trackerFor, trackStages } from './tracker/index.js';
import { ResourceGate } from './workers/gate.js';
import { buildWorkerPool, discoverGpus, type Machine, type Placement, placeStages, resourcesOf, type WorkerPool } from './workers/index.js';

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
  /** The machine runs are placed on (GPUs, CPUs, memory); default: what `discoverGpus()` finds here. */
  machine?: Machine;
  /** Time between resource samples (CPU, memory, GPU) published on the bus, in ms (default 2000); `false`: none. */
  sampleResourcesMs?: number | false;
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
    const stopSampling =
      options.sampleResourcesMs === false
        ? async () => {}
        : startResourceSampler((sample) => bus.publish(sample), { intervalMs: options.sampleResourcesMs ?? 2000 });
    try {
      return await runPlan(options, bus);
    } finally {
      await stopSampling();
    }
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
  const { results, locks } = await preparePlugins(options, onEvent);

  // Before any run starts: where each run goes (a run that fits nowhere fails the plan now, not by hanging).
  const placements = await placeRuns(options, results, locks);
  const gate = new ResourceGate(placements.pool);
  const limiters = modelLimiters(plan.runs);
  const shared = new SharedInference(plan.runs, bus);
  const listings: DatasetListings = new Map();
  const outcomes: RunOutcome[] = new Array(plan.runs.length);
  try {
    await forEachLimited(
      plan.runs.length,
      plan.parallelism,
      async (index) => {
        const run = plan.runs[index] as PlannedRun;
        let outcome = await reusedOutcome(run, options, listings, onEvent);
        if (!outcome) {
          const placement = placements.byRun.get(run.name) as Placement;
          const release = await gate.acquire(placement);
          try {
            const placed = onWorker(options, placements.pool, placement);
            outcome = await runWithSharing(run, shared, placed, listings, (own) =>
              runOne(run, results, locks, own, limiters.get(run.spec.model.name), onEvent),
            );
          } finally {
            release();
          }
        }
        outcomes[index] = outcome;
        if (plan.upload && outcome.status === 'ok') await uploadRun(plan.name, plan.upload, run, options, onEvent);
      },
      options.signal,
    );
  } finally {
    shared.close();
  }
  return { plan, outcomes: outcomes.filter(Boolean) };
}

/**
 * Places every run of the plan on this machine's workers (`options.machine`, else what nvidia-smi
 * and the host report) by the resources its model and plugins declare, the plan's `parallelism`
 * bounding how many run at once. Throws `VHB_E_PLACEMENT_IMPOSSIBLE` for a run that fits nowhere.
 */
async function placeRuns(
  options: RunExperimentOptions,
  results: Map<string, LoadResult>,
  locks: ReadonlyMap<string, ReadLock>,
): Promise<{ pool: WorkerPool; byRun: Map<string, Placement> }> {
  const { plan, registry } = options;
  const machine = options.machine ?? (await discoverGpus());
  const pool = buildWorkerPool(machine, { parallelism: plan.parallelism });
  const stages = plan.runs.map((run) => {
    const read = locks.get(run.name);
    const lock = read?.ok ? read.lock : undefined;
    const model = registry.get('models', run.spec.model.name)?.entry.resources;
    return { id: run.name, needs: resourcesOf(run, { results, ...(model ? { model } : {}), ...(lock ? { lock } : {}) }).run };
  });
  const { order } = placeStages(stages, pool);
  return { pool, byRun: new Map(order.map((p) => [p.stage, p])) };
}

/** The run's options on its worker: a GPU worker's device is the only one the run's processes see. */
function onWorker(options: RunExperimentOptions, pool: WorkerPool, placement: Placement): RunExperimentOptions {
  const gpu = pool.workers.find((w) => w.id === placement.worker)?.gpu;
  if (!gpu) return options;
  return { ...options, env: { ...(options.env ?? process.env), CUDA_VISIBLE_DEVICES: String(gpu.index) } };
}

/**
 * The outcome of a run that finished earlier with nothing changed since (see reuse.ts): its stages
 * are skipped. Never with `fresh` or `updatePlugins`, which ask for the work to be done again.
 */
async function reusedOutcome(
  run: PlannedRun,
  options: RunExperimentOptions,
  listings: DatasetListings,
  onEvent: (event: BusEvent) => void,
): Promise<RunOutcome | undefined> {
  if (options.fresh || options.updatePlugins) return undefined;
  const started = Date.now();
  const summary = await finishedEarlier(run, listings);
  if (!summary) return undefined;
  const outcome: RunOutcome = {
    run: run.name,
    dataset: run.spec.dataset.name,
    outDir: run.spec.outDir,
    status: 'ok',
    reused: true,
    summary,
    durationMs: Date.now() - started,
  };
  onEvent({ type: 'run-start', run: run.name, dataset: outcome.dataset });
  onEvent({ type: 'run-end', outcome });
  return outcome;
}

/** Runs `run`, first taking the answers of the run it shares its inference with; notes a clean finish. */
async function runWithSharing(
  run: PlannedRun,
  shared: SharedInference,
  options: RunExperimentOptions,
  listings: DatasetListings,
  execute: (options: RunExperimentOptions) => Promise<RunOutcome>,
): Promise<RunOutcome> {
  let own = options;
  if (shared.ownerOf(run)) {
    // Starting over clears this run's folder now, before the shared answers go into it.
    if (options.fresh) await rm(run.spec.outDir, { recursive: true, force: true });
    await shared.seed(run);
    own = { ...options, fresh: false };
  }
  const outcome = await execute(own);
  if (outcome.status === 'ok') await recordFinished(run, outcome.summary, listings).catch(() => {});
  return outcome;
}
