import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginHost, RegistryManager } from '@vhb/core';
import { forEachLimited, ModelLimiter } from '@vhb/sdk';
import { openStorage, uploadResults } from '@vhb/storage';
import { planResultsDir, planStages } from './dag.js';
import { type BusEvent, EVENTS_FILE, EventBus, type EventsWriter, isRunnerEvent, openEventsFile } from './event-bus.js';
import type { RunnerEvent, RunOutcome } from './events.js';
import type { ReadLock } from './lock.js';
import type { Plan, PlannedRun } from './plan.js';
import type { LoadResult } from './plugins.js';
import { preparePlugins } from './prepare.js';
import { startResourceSampler } from './resource-sampler.js';
import { type DatasetListings, finishedEarlier, recordFinished } from './reuse.js';
import { runOne } from './run-one.js';
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
    // Asked once: placement and the resource sampler both need to know whether there are GPUs.
    const machine = options.machine ?? (await discoverGpus());
    const stopSampling =
      options.sampleResourcesMs === false
        ? async () => {}
        : startResourceSampler((sample) => bus.publish(sample), {
            intervalMs: options.sampleResourcesMs ?? 2000,
            gpus: machine.gpus.length > 0,
          });
    try {
      return await runPlan({ ...options, machine }, bus);
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
