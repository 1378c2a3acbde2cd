export { errorCodes } from './errors.js';
export { fillLabels, matchLabel } from './labels.js';
export type { ClassificationOptions } from './options.js';
export { classificationOptions } from './options.js';
export { default } from './task.js';
