export { datasetParquetErrorCodes } from './errors.js';
export { imageExtension } from './images.js';
export type { DatasetParquetOptions } from './plugin.js';
export { datasetParquetOptions, default } from './plugin.js';
