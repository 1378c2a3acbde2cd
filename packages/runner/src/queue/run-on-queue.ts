import { join } from 'node:path';
import type { ProjectConfig } from '@vhb/core';
import type { VhbError } from '@vhb/sdk';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { planResultsDir, planStages } from '../dag.js';
import { type BusEvent, EVENTS_FILE, EventBus, type EventsWriter, isRunnerEvent, openEventsFile } from '../event-bus.js';
import type { RunOutcome } from '../events.js';
import { bullmq } from '../lazy-modules.js';
import type { ReadLock } from '../lock.js';
import type { PlannedRun } from '../plan.js';
import { type LoadResult, loadKey } from '../plugins.js';
import { preparePlugins } from '../prepare.js';
import type { ExperimentResult, RunExperimentOptions } from '../run-experiment.js';
import { TRACKER_FILE, type Tracker, trackerFor, trackStages } from '../tracker/index.js';
import { resourcesOf } from '../workers/index.js';
import { connectQueue, maskUrl, parseQueueUrl } from './connection.js';
import { enqueueRuns, type QueuedRun } from './enqueue.js';
import { classOf, DEFAULT_QUEUE_NAME, queueNameOf, type ResourceClass, type RunJob } from './job.js';
import { type WaitNotice, waitForRuns } from './wait.js';

export interface RunOnQueueOptions
  extends Pick<
    RunExperimentOptions,
    'registry' | 'host' | 'plan' | 'onEvent' | 'signal' | 'fresh' | 'updatePlugins' | 'bus' | 'eventsFile' | 'tracker'
  > {
  /** `redis://host:port[/db]`; the password, if any, is never printed. */
  url: string;
  /** The project: its root (absolute; workers open it at the same path) and run mode. */
  config: Pick<ProjectConfig, 'root' | 'runMode'>;
  /** The plan as the workers look it up: a name, or a path relative to the project root (default `plan.name`). */
  planRef?: string;
  /** The queues' common name (default `vhb`). */
  queueName?: string;
  /** How often job states are read besides the queue's events, ms (default 2000). */
  pollMs?: number;
  onNotice?: (notice: QueueNotice) => void;
}

/** What the enqueuer tells besides the runs' own events. */
export type QueueNotice =
  | {
      type: 'queued';
      /** The queue's URL, password masked. */
      url: string;
      runs: QueuedRun[];
      /** Workers listening on each queue used, by queue name (0: the runs wait for a worker to start). */
      workers: Record<string, number>;
    }
  | WaitNotice;

export interface QueueRunResult extends ExperimentResult {
  /** The wait was interrupted (`signal`): the runs not finished stay queued, and workers go on with them. */
  interrupted: boolean;
}

/** Why a run cannot be queued: its folder's lock is damaged, or one of its packages did not load. */
function loadFailure(run: PlannedRun, results: Map<string, LoadResult>, read: ReadLock | undefined): VhbError | undefined {
  if (read && !read.ok) return read.error;
  const lock = read?.lock;
  const { task, dataset, adapter, metrics, reporters } = run.needs;
  for (const need of [task, dataset, adapter, ...metrics, ...reporters]) {
    const result = results.get(loadKey(need, lock));
    if (result && !result.ok) return result.error;
  }
  return undefined;
}

/**
 * `vhb run --queue`: prepares the plan here (plugins installed and loaded once, into the
 * project's cache, which the workers share), puts one job per run on the queue with what the run
 * needs, and waits for the workers, publishing the runs' events as they send them (events.jsonl
 * and the tracker are written here, as for a local run). Runs whose plugins do not load fail here
 * and are not queued. Resolves with every run's outcome, or early (`interrupted`) when `signal` aborts.
 */
export async function runOnQueue(options: RunOnQueueOptions): Promise<QueueRunResult> {
  const { plan } = options;
  parseQueueUrl(options.url);
  const bus = options.bus ?? new EventBus();
  const callback = options.onEvent;
  const offs = [callback ? bus.subscribe((event) => isRunnerEvent(event) && callback(event)) : () => {}];
  const planDir = planResultsDir(plan);
  const eventsPath = options.eventsFile ?? (planDir ? join(planDir, EVENTS_FILE) : false);
  const trackerPath = options.tracker ?? (planDir ? join(planDir, TRACKER_FILE) : false);
  let writer: EventsWriter | undefined;
  let tracker: Tracker | undefined;
  let connection: Redis | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    connection = await connectQueue(options.url);
    if (eventsPath) {
      writer = await openEventsFile(eventsPath);
      offs.push(bus.subscribe(writer.listener));
    }
    if (trackerPath) {
      tracker = await trackerFor(trackerPath);
      offs.push(trackStages(bus, tracker, planStages(plan)));
    }
    const publish = (event: BusEvent) => bus.publish(event);
    const { jobs, failures } = await prepare(options, publish);

    const classes = [...new Set(jobs.map((job) => classOf(job.resources)))];
    const base = options.queueName ?? DEFAULT_QUEUE_NAME;
    const queues = new Map<ResourceClass, Queue>();
    const events = new Map<ResourceClass, QueueEvents>();
    for (const cls of classes) {
      const queue = new (bullmq().Queue)(queueNameOf(base, cls), { connection });
      const listener = new (bullmq().QueueEvents)(queueNameOf(base, cls), { connection });
      closers.push(
        () => listener.close(),
        () => queue.close(),
      );
      queues.set(cls, queue);
      events.set(cls, listener);
    }
    // Listening before adding: no event of the new jobs can be missed.
    await Promise.all([...events.values()].map((e) => e.waitUntilReady()));
    const queued = await enqueueRuns(queues, jobs);
    const workers = Object.fromEntries(
      await Promise.all([...queues.values()].map(async (queue) => [queue.name, await queue.getWorkersCount()] as const)),
    );
    options.onNotice?.({ type: 'queued', url: maskUrl(options.url), runs: queued, workers });

    const waited = await waitForRuns({
      queues,
      events,
      queued,
      runs: plan.runs,
      publish,
      onNotice: (notice) => options.onNotice?.(notice),
      pollMs: options.pollMs ?? 2000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const outcomes = plan.runs.flatMap((run) => {
      const outcome = failures.get(run.name) ?? waited.outcomes.get(run.name);
      return outcome ? [outcome] : [];
    });
    return { plan, outcomes, interrupted: waited.interrupted };
  } finally {
    for (const close of closers) await close().catch(() => {});
    await connection?.quit().catch(() => connection?.disconnect());
    for (const off of offs) off();
    await writer?.close();
    await tracker?.close().catch(() => {});
  }
}

/** Loads the plan's plugins (as `runExperiment` does) and makes each run's job; runs that cannot load fail here. */
async function prepare(
  options: RunOnQueueOptions,
  publish: (event: BusEvent) => void,
): Promise<{ jobs: RunJob[]; failures: Map<string, RunOutcome> }> {
  const { plan, registry } = options;
  const { results, locks } = await preparePlugins({ ...options, registry }, publish);

  const jobs: RunJob[] = [];
  const failures = new Map<string, RunOutcome>();
  for (const run of plan.runs) {
    const read = locks.get(run.name);
    const error = loadFailure(run, results, read);
    if (error) {
      const reason = error.hint ? `${error.message}\n${error.hint}` : error.message;
      const outcome: RunOutcome = {
        run: run.name,
        dataset: run.spec.dataset.name,
        status: 'failed',
        reason,
        code: error.code,
        outDir: run.spec.outDir,
        durationMs: 0,
      };
      failures.set(run.name, outcome);
      publish({ type: 'run-end', outcome });
      continue;
    }
    const lock = read?.ok ? read.lock : undefined;
    const model = registry.get('models', run.spec.model.name)?.entry.resources;
    const resources = resourcesOf(run, { results, ...(model ? { model } : {}), ...(lock ? { lock } : {}) }).run;
    jobs.push({
      version: 1,
      root: options.config.root,
      plan: options.planRef ?? plan.name,
      run: run.name,
      mode: options.config.runMode,
      fresh: options.fresh === true,
      resources,
    });
  }
  return { jobs, failures };
}
