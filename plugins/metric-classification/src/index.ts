export { default, default as classification } from './classification.js';
export { errorCodes } from './errors.js';
export { normaliseLabel } from './fold.js';
export type { ClassificationReport, ClassScores, LabelPair } from './report.js';
export { classificationReport, OTHER } from './report.js';
