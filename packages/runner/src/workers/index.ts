export type { Exec, Gpu, Machine } from './gpus.js';
export { discoverGpus, NVIDIA_SMI_ARGS, parseNvidiaSmi } from './gpus.js';
export type { Placement, Refusal, Schedule, Stage, StageNeeds } from './placement.js';
export { PlacementError, placeStages } from './placement.js';
export type { Worker, WorkerPool } from './pool.js';
export { buildWorkerPool } from './pool.js';
export type { RunResources } from './resources.js';
export { resourcesOf } from './resources.js';
