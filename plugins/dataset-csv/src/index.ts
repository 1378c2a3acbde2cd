export { datasetCsvErrorCodes } from './errors.js';
export { parseList } from './lists.js';
export type { DatasetCsvOptions } from './plugin.js';
export { datasetCsvOptions, default } from './plugin.js';
