import type { Queue } from 'bullmq';
import { classOf, jobIdOf, type ResourceClass, type RunJob } from './job.js';

/** A run put on the queue: its job id, its class, and whether a job for it was already waiting or running. */
export interface QueuedRun {
  run: string;
  job: string;
  class: ResourceClass;
  /** `added`: a new job; `queued`: a job for the run was already waiting or running (not added twice). */
  state: 'added' | 'queued';
}

/** How long finished jobs stay in Redis (their outcome readable) before BullMQ drops them: a week. */
const KEEP_FINISHED = { age: 7 * 24 * 3600 };

/**
 * Adds one job per run, with a deterministic id (`jobIdOf`): a run whose job is still waiting,
 * delayed or running is not added again. A job that finished (completed or failed) is replaced by
 * a new one: queuing a plan again runs it again, and the run's resume makes that cheap.
 * `queues` holds the queue of each class the jobs need.
 */
export async function enqueueRuns(queues: ReadonlyMap<ResourceClass, Queue>, jobs: readonly RunJob[]): Promise<QueuedRun[]> {
  const queued: QueuedRun[] = [];
  for (const data of jobs) {
    const id = jobIdOf(data);
    const cls = classOf(data.resources);
    const queue = queues.get(cls);
    if (!queue) throw new Error(`no queue for class ${cls}`);
    const existing = await queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
        queued.push({ run: data.run, job: id, class: cls, state: 'queued' });
        continue;
      }
      await existing.remove();
    }
    await queue.add('run', data, { jobId: id, attempts: 1, removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FINISHED });
    queued.push({ run: data.run, job: id, class: cls, state: 'added' });
  }
  return queued;
}
