export { datasetJsonlErrorCodes } from './errors.js';
export type { DatasetJsonlOptions } from './plugin.js';
export { datasetJsonlOptions, default } from './plugin.js';
export { manifestRowSchema } from './row.js';
