export { datasetImageFolderErrorCodes } from './errors.js';
export type { DatasetImageFolderOptions } from './plugin.js';
export { datasetImageFolderOptions, default } from './plugin.js';
