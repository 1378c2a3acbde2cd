export { errorCodes } from './errors.js';
export type { FieldStats } from './performance.js';
export { default, default as performance, fieldStats, SUMMARISED_FIELDS } from './performance.js';
