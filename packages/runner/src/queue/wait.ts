import type { Queue, QueueEvents } from 'bullmq';
import type { BusEvent } from '../event-bus.js';
import type { RunOutcome } from '../events.js';
import type { PlannedRun } from '../plan.js';
import type { QueuedRun } from './enqueue.js';
import { type JobProgress, jobProgressSchema, type ResourceClass } from './job.js';

/** What happens to queued runs besides their own events, for the enqueuer's output. */
export type WaitNotice =
  /** A worker started (or restarted) the run. */
  | { type: 'started'; run: string; worker: string }
  /** A worker cannot take the run (too big for its machine); it stays queued for another. */
  | { type: 'refused'; run: string; worker: string; reason: string }
  /** The run's worker stopped answering (killed, frozen); the run is back in the queue. */
  | { type: 'stalled'; run: string };

export interface WaitOptions {
  queues: ReadonlyMap<ResourceClass, Queue>;
  events: ReadonlyMap<ResourceClass, QueueEvents>;
  queued: readonly QueuedRun[];
  runs: readonly PlannedRun[];
  /** Receives the runs' bus events as the workers send them. */
  publish: (event: BusEvent) => void;
  onNotice: (notice: WaitNotice) => void;
  signal?: AbortSignal;
  /** How often job states are read besides the events (a missed event never leaves the wait hanging), ms. */
  pollMs: number;
}

/**
 * Waits until every queued run's job has completed or failed, publishing the runs' events as the
 * workers send them. Resolves with each run's outcome (a failed job: a `failed` outcome with
 * `VHB_E_QUEUE_JOB_FAILED`), or early with `interrupted` when `signal` aborts: the jobs stay queued.
 */
export function waitForRuns(options: WaitOptions): Promise<{ outcomes: Map<string, RunOutcome>; interrupted: boolean }> {
  const { queued, publish, onNotice } = options;
  const byJob = new Map(queued.map((q) => [q.job, q]));
  const planned = new Map(options.runs.map((r) => [r.name, r]));
  const outcomes = new Map<string, RunOutcome>();
  const ended = new Set<string>();
  const refusals = new Set<string>();
  const listeners: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  return new Promise((resolve) => {
    const finish = (interrupted: boolean) => {
      if (timer) clearInterval(timer);
      for (const off of listeners) off();
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ outcomes, interrupted });
    };
    const onAbort = () => finish(true);
    const settle = (job: string, outcome: RunOutcome) => {
      const entry = byJob.get(job);
      if (!entry || outcomes.has(entry.run)) return;
      outcomes.set(entry.run, outcome);
      // The worker's own run-end came with its events; a job that failed outside the runner has none.
      if (!ended.has(entry.run)) publish({ type: 'run-end', outcome });
      if (outcomes.size === byJob.size) finish(false);
    };
    const failed = (job: string, reason: string) => {
      const entry = byJob.get(job);
      const run = entry && planned.get(entry.run);
      if (!entry || !run) return;
      settle(job, {
        run: entry.run,
        dataset: run.spec.dataset.name,
        status: 'failed',
        reason,
        code: 'VHB_E_QUEUE_JOB_FAILED',
        outDir: run.spec.outDir,
        durationMs: 0,
      });
    };
    const completed = (job: string, value: unknown) => {
      const outcome = value as RunOutcome | undefined;
      if (outcome && typeof outcome === 'object' && typeof outcome.status === 'string') settle(job, outcome);
      else failed(job, `the worker returned no outcome (${JSON.stringify(value)})`);
    };
    const progress = (job: string, data: unknown) => {
      const entry = byJob.get(job);
      const parsed = jobProgressSchema.safeParse(data);
      if (!entry || !parsed.success || outcomes.has(entry.run)) return;
      // The events are the runner's own, sent by a worker of the same version: checked for shape only.
      const message = parsed.data as JobProgress;
      if ('refused' in message) {
        const key = `${message.worker}\u0000${message.refused}`;
        if (!refusals.has(key)) onNotice({ type: 'refused', run: entry.run, worker: message.worker, reason: message.refused });
        refusals.add(key);
        return;
      }
      for (const event of message.events) {
        if (event.type === 'run-start') {
          ended.delete(entry.run);
          onNotice({ type: 'started', run: entry.run, worker: message.worker });
        }
        if (event.type === 'run-end') ended.add(entry.run);
        publish(event);
      }
    };
    const poll = async () => {
      for (const entry of queued) {
        if (outcomes.has(entry.run)) continue;
        const queue = options.queues.get(entry.class);
        // The state alone is cheap; the job (with its last progress batch) is read only once it has ended.
        const state = await queue?.getJobState(entry.job);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        const job = await queue?.getJob(entry.job);
        if (!job) failed(entry.job, 'the job was removed from the queue');
        else if (state === 'completed') completed(entry.job, job.returnvalue);
        else if (state === 'failed') failed(entry.job, job.failedReason || 'the job failed');
      }
    };

    for (const events of options.events.values()) {
      const on = <E extends 'completed' | 'failed' | 'progress' | 'stalled' | 'removed'>(name: E, handler: (args: never) => void) => {
        events.on(name, handler as never);
        listeners.push(() => events.off(name, handler as never));
      };
      on('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => completed(jobId, returnvalue));
      on('failed', ({ jobId, failedReason }: { jobId: string; failedReason: string }) => failed(jobId, failedReason));
      on('progress', ({ jobId, data }: { jobId: string; data: unknown }) => progress(jobId, data));
      on('stalled', ({ jobId }: { jobId: string }) => {
        const entry = byJob.get(jobId);
        if (entry && !outcomes.has(entry.run)) onNotice({ type: 'stalled', run: entry.run });
      });
      on('removed', ({ jobId }: { jobId: string }) => failed(jobId, 'the job was removed from the queue'));
    }
    if (options.signal?.aborted) return finish(true);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let polling = false;
    timer = setInterval(() => {
      if (polling) return;
      polling = true;
      poll()
        .catch(() => {})
        .finally(() => {
          polling = false;
        });
    }, options.pollMs);
    if (byJob.size === 0) finish(false);
  });
}
