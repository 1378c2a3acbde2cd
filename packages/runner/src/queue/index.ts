export type { ConnectOptions } from './connection.js';
export { connectQueue, maskUrl, parseQueueUrl } from './connection.js';
export type { QueuedRun } from './enqueue.js';
export { enqueueRuns } from './enqueue.js';
export type { Fit } from './fit.js';
export { Ledger } from './fit.js';
export type { JobProgress, ResourceClass, RunJob } from './job.js';
export {
  classOf,
  DEFAULT_QUEUE_NAME,
  jobIdOf,
  jobProgressSchema,
  parseRunJob,
  queueNameOf,
  RESOURCE_CLASSES,
  runJobSchema,
} from './job.js';
export { ProjectCache } from './projects.js';
export type { RunJobOptions } from './run-job.js';
export { runQueuedRun } from './run-job.js';
export type { QueueNotice, QueueRunResult, RunOnQueueOptions } from './run-on-queue.js';
export { runOnQueue } from './run-on-queue.js';
export type { WaitNotice } from './wait.js';
export type { QueueWorker, QueueWorkerOptions, WorkerNotice } from './worker.js';
export { startQueueWorker } from './worker.js';
