export type { PlanStage, ReportIndex, StageGraph, StageGraphOptions, StageKind, StageState } from './dag.js';
export { buildStageGraph, inferenceKey, planResultsDir, planStages, REPORT_INDEX_FILE, STAGE_KINDS } from './dag.js';
export type { BusEvent, EventsWriter, ItemDoneEvent, Listener, StageEvent, TimedEvent } from './event-bus.js';
export { EVENTS_FILE, EventBus, isRecorded, isRunnerEvent, openEventsFile, replayEvents } from './event-bus.js';
export type { RunnerEvent, RunOutcome, RunStatus } from './events.js';
export type { LockEntry, PluginLock, ReadLock } from './lock.js';
export { LOCK_FILE, pinnedSource, readLock } from './lock.js';
export type { PackageNeed, Plan, PlannedRun } from './plan.js';
export { planExperiment } from './plan.js';
export type { LoadResult } from './plugins.js';
export { loadKey, loadPackages } from './plugins.js';
export type { ExperimentResult, RunExperimentOptions } from './run-experiment.js';
export { modelLimiters, runExperiment } from './run-experiment.js';
export type { OpenTrackerOptions, TrackedRun, TrackedStage, TrackedStatus, Tracker } from './tracker/index.js';
export {
  isProcessAlive,
  isStageAlive,
  openTracker,
  readTracker,
  TRACKER_FILE,
  TRACKER_SCHEMA,
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
