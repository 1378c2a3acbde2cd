export type { RunnerEvent, RunOutcome, RunStatus } from './events.js';
export type { LockEntry, PluginLock, ReadLock } from './lock.js';
export { LOCK_FILE, pinnedSource, readLock } from './lock.js';
export type { PackageNeed, Plan, PlannedRun } from './plan.js';
export { planExperiment } from './plan.js';
export type { LoadResult } from './plugins.js';
export { loadKey, loadPackages } from './plugins.js';
export type { ExperimentResult, RunExperimentOptions } from './run-experiment.js';
export { modelLimiters, runExperiment } from './run-experiment.js';
