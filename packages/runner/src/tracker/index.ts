export { TRACKER_SCHEMA } from './schema.js';
export { trackStages } from './subscriber.js';
export type { OpenTrackerOptions, TrackedRun, TrackedStage, TrackedStatus, Tracker } from './tracker.js';
export { isProcessAlive, isStageAlive, openTracker, readTracker, TRACKER_FILE, trackerFor } from './tracker.js';
