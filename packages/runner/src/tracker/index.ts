export { maskUrlPassword as maskTrackerUrl } from '../url-password.js';
export { readTracker, resolveTrackerUrl, TRACKER_URL_ENV, trackerFor } from './open.js';
export { TRACKER_SCHEMA } from './schema.js';
export { openTracker } from './sqlite.js';
export { trackStages } from './subscriber.js';
export type { OpenTrackerOptions, TrackedPlan, TrackedRun, TrackedStage, TrackedStatus, Tracker } from './tracker.js';
export { isProcessAlive, isStageAlive, TRACKER_FILE } from './tracker.js';
