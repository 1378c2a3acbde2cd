export type { PlanStage, ReportIndex, StageGraph, StageGraphOptions, StageKind, StageState } from './dag.js';
export { buildStageGraph, inferenceKey, planResultsDir, planStages, REPORT_INDEX_FILE, STAGE_KINDS } from './dag.js';
export * from './environments/index.js';
export type { BusEvent, EventsWriter, ItemDoneEvent, Listener, StageEvent, TimedEvent } from './event-bus.js';
export { EVENTS_FILE, EventBus, isRecorded, isRunnerEvent, openEventsFile, replayEvents } from './event-bus.js';
export type { RunnerEvent, RunOutcome, RunStatus } from './events.js';
export type { LockEntry, PluginLock, ReadLock } from './lock.js';
export { LOCK_FILE, pinnedSource, readLock } from './lock.js';
export type { PackageNeed, Plan, PlannedRun } from './plan.js';
export { planExperiment } from './plan.js';
export type { LoadResult } from './plugins.js';
export { loadKey, loadPackages } from './plugins.js';
export type {
  ConnectOptions,
  Fit,
  JobProgress,
  QueuedRun,
  QueueNotice,
  QueueRunResult,
  QueueWorker,
  QueueWorkerOptions,
  ResourceClass,
  RunJob,
  RunJobOptions,
  RunOnQueueOptions,
  WaitNotice,
  WorkerNotice,
} from './queue/index.js';
export {
  classOf,
  connectQueue,
  DEFAULT_QUEUE_NAME,
  enqueueRuns,
  jobIdOf,
  jobProgressSchema,
  Ledger,
  maskUrl,
  ProjectCache,
  parseQueueUrl,
  parseRunJob,
  queueNameOf,
  RESOURCE_CLASSES,
  runJobSchema,
  runOnQueue,
  runQueuedRun,
  startQueueWorker,
} from './queue/index.js';
export type { GpuSample, ResourceSampleEvent, ResourceSamplerOptions } from './resource-sampler.js';
export { startResourceSampler } from './resource-sampler.js';
export { FINGERPRINT_FILE } from './reuse.js';
export type { ExperimentResult, RunExperimentOptions } from './run-experiment.js';
export { modelLimiters, runExperiment } from './run-experiment.js';
export type { OpenTrackerOptions, TrackedPlan, TrackedRun, TrackedStage, TrackedStatus, Tracker } from './tracker/index.js';
export {
  isProcessAlive,
  isStageAlive,
  maskTrackerUrl,
  openTracker,
  readTracker,
  resolveTrackerUrl,
  TRACKER_FILE,
  TRACKER_SCHEMA,
  TRACKER_URL_ENV,
  trackerFor,
  trackStages,
} from './tracker/index.js';
export type {
  Exec,
  Gpu,
  Machine,
  Placement,
  Refusal,
  RunResources,
  Schedule,
  Stage,
  StageNeeds,
  Worker,
  WorkerPool,
} from './workers/index.js';
export {
  buildWorkerPool,
  discoverGpus,
  NVIDIA_SMI_ARGS,
  PlacementError,
  parseNvidiaSmi,
  placeStages,
  resourcesOf,
} from './workers/index.js';
