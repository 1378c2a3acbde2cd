import { hostname } from 'node:os';
import { type Logger, VhbError } from '@vhb/sdk';
import type { Job } from 'bullmq';
import { EventBus } from '../event-bus.js';
import type { RunOutcome } from '../events.js';
import { bullmq } from '../lazy-modules.js';
import { discoverGpus, type Machine } from '../workers/index.js';
import { connectQueue, maskSecrets } from './connection.js';
import { Ledger } from './fit.js';
import { forwardEvents } from './forward.js';
import { DEFAULT_QUEUE_NAME, type JobProgress, parseRunJob, queueNameOf, type ResourceClass, type RunJob } from './job.js';
import { ProjectCache } from './projects.js';
import { runQueuedRun } from './run-job.js';

export interface QueueWorkerOptions {
  /** `redis://host:port[/db]` (the password, if any, is never printed). */
  url: string;
  /** Shown to the enqueuer and stored on each job it runs; default `<hostname>-<pid>`. */
  name?: string;
  /** Runs at once on this worker, all classes together (default 1); also the placement's `parallelism`. */
  concurrency?: number;
  /** The queues' common name (default `vhb`: queues `vhb-gpu`, `vhb-cpu`). */
  queueName?: string;
  /** How long a job's lock lasts without renewal (renewed every half of it), ms; default 30 000. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (lock expired), ms; default 30 000. */
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it fails (default 2). */
  maxStalls?: number;
  /** What this machine offers; discovered (`discoverGpus`) when not given. */
  machine?: Machine;
  /** The classes to take; default `gpu` and `cpu` on a machine with a GPU, `cpu` without. */
  classes?: ResourceClass[];
  env?: Record<string, string | undefined>;
  /** How often a running job's events are sent to the enqueuer, ms (default 250). */
  progressIntervalMs?: number;
  /** How long a job that would fit but finds the worker full waits before another try, ms (default 1000). */
  busyDelayMs?: number;
  /** How long a job too big for this machine waits before another worker may try, ms (default 5000). */
  refusedDelayMs?: number;
  /** What the worker does, for its log. */
  onNotice?: (notice: WorkerNotice) => void;
  /** The plugin host's log. */
  logger?: Logger;
}

/** A line of the worker's log. */
export type WorkerNotice =
  /** `attempt`: how many times a worker took the job, this time included (refusals too: BullMQ counts every start). */
  | { type: 'job-start'; job: string; plan: string; run: string; root: string; attempt: number }
  | { type: 'job-end'; job: string; plan: string; run: string; outcome: RunOutcome }
  /** Stopped by the worker's shutdown: back in the queue, another worker resumes it. */
  | { type: 'job-released'; job: string; plan: string; run: string }
  /** Cannot run here (`never`: too big for this machine), moved back to the queue. */
  | { type: 'job-refused'; job: string; plan: string; run: string; reason: string; never: boolean }
  | { type: 'job-failed'; job: string; code: string; message: string }
  | { type: 'error'; message: string };

export interface QueueWorker {
  name: string;
  machine: Machine;
  classes: ResourceClass[];
  /** The BullMQ queues it listens to. */
  queues: string[];
  /**
   * Stops taking jobs; running runs stop after the items in flight (everything answered is on
   * disk) and go back to the queue, where another worker resumes them. Resolves once closed.
   */
  close(): Promise<void>;
  /** Resolves once the worker is closed. */
  closed: Promise<void>;
}

interface Running {
  controller: AbortController;
  /** Aborted because the job's lock was lost: another worker may hold it already. */
  lockLost: boolean;
}

const codeOf = (error: unknown): string => (error instanceof VhbError ? error.code : 'VHB_E_QUEUE_JOB_FAILED');

/**
 * Takes queued runs that fit this machine and runs them with the real runner. A job is refused
 * (moved back to the queue, delayed) when the machine can never run it — another worker may —
 * or when the runs it holds leave no room now. A killed worker's jobs are found by the other
 * workers' stalled check once their lock expires, and run again from where they stopped.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const notice = options.onNotice ?? (() => {});
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const concurrency = options.concurrency ?? 1;
  const machine = options.machine ?? (await discoverGpus());
  const classes = options.classes ?? (machine.gpus.length > 0 ? ['gpu', 'cpu'] : ['cpu']);
  const ledger = new Ledger(machine, concurrency);
  const base = options.queueName ?? DEFAULT_QUEUE_NAME;
  const connection = await connectQueue(options.url);
  const running = new Map<string, Running>();
  const projects = new ProjectCache();
  let closing = false;

  const processJob = async (job: Job, token: string | undefined, signal?: AbortSignal): Promise<RunOutcome> => {
    const id = job.id as string;
    let data: RunJob;
    try {
      data = parseRunJob(job.data, id);
    } catch (error) {
      notice({ type: 'job-failed', job: id, code: codeOf(error), message: (error as Error).message });
      throw new (bullmq().UnrecoverableError)((error as Error).message);
    }
    const fit = closing ? ({ ok: false, never: false, reason: 'closing' } as const) : ledger.check(data.resources);
    if (!fit.ok) {
      notice({ type: 'job-refused', job: id, plan: data.plan, run: data.run, reason: fit.reason, never: fit.never });
      if (fit.never) await job.updateProgress({ worker: name, refused: fit.reason } satisfies JobProgress).catch(() => {});
      await job.moveToDelayed(Date.now() + (fit.never ? (options.refusedDelayMs ?? 5000) : (options.busyDelayMs ?? 1000)), token);
      throw new (bullmq().DelayedError)();
    }
    ledger.hold(id, data.resources, fit.placement);
    const state: Running = { controller: new AbortController(), lockLost: false };
    running.set(id, state);
    const onAbort = () => state.controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const forwarder = forwardEvents(job, name, options.progressIntervalMs ?? 250, (error) =>
      notice({ type: 'error', message: `job ${id}: progress not sent: ${(error as Error)?.message ?? error}` }),
    );
    const bus = new EventBus();
    bus.subscribe(forwarder.listener);
    notice({ type: 'job-start', job: id, plan: data.plan, run: data.run, root: data.root, attempt: job.attemptsStarted });
    try {
      let outcome: RunOutcome | undefined;
      let failure: unknown;
      try {
        outcome = await runQueuedRun(data, {
          bus,
          machine: fit.machine,
          projects,
          signal: state.controller.signal,
          ...(options.env ? { env: options.env } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
          onFreshCleared: () => job.updateData({ ...data, fresh: false }),
        });
      } catch (error) {
        failure = error;
      }
      await forwarder.flush();
      // Stopped (the worker closing, or BullMQ cancelling): whatever the run got to, it is not finished here.
      if (state.controller.signal.aborted) {
        if (state.lockLost) throw new Error(`job ${id}: its lock was lost (this worker stalled); another worker takes it over`);
        await job.moveToWait(token);
        notice({ type: 'job-released', job: id, plan: data.plan, run: data.run });
        throw new (bullmq().WaitingError)();
      }
      if (failure !== undefined || !outcome) {
        const error = failure ?? new Error('the run ended without an outcome');
        notice({ type: 'job-failed', job: id, code: codeOf(error), message: (error as Error)?.message ?? String(error) });
        throw error;
      }
      notice({ type: 'job-end', job: id, plan: data.plan, run: data.run, outcome });
      return outcome;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      running.delete(id);
      ledger.release(id);
    }
  };

  const workers = classes.map(
    (cls) =>
      new (bullmq().Worker)(queueNameOf(base, cls), processJob, {
        connection,
        name,
        concurrency,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: options.maxStalls ?? 2,
      }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => notice({ type: 'error', message: maskSecrets(error.message, options.url) }));
    worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) {
        const state = running.get(id);
        if (!state) continue;
        state.lockLost = true;
        state.controller.abort();
      }
    });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closingPromise: Promise<void> | undefined;
  const close = () => {
    closingPromise ??= (async () => {
      closing = true;
      for (const state of running.values()) state.controller.abort();
      // Not forced: each running job is released (moved back to the queue) before the worker goes.
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
      resolveClosed();
    })();
    return closingPromise;
  };
  return {
    name,
    machine,
    classes,
    queues: classes.map((cls) => queueNameOf(base, cls)),
    close,
    closed,
  };
}
