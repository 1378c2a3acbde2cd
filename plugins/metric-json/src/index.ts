export { fieldAnls, fieldEquals } from './compare.js';
export { errorCodes } from './errors.js';
export { flattenJson } from './flatten.js';
export { default, default as json } from './json.js';
export { parseJsonAnswer } from './parse.js';
export type { JsonSchema } from './schema.js';
export { validateJson } from './schema.js';
