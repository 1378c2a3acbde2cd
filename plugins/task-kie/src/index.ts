export { errorCodes } from './errors.js';
export { extractJsonObject, fieldNames, parseKieAnswer } from './parse.js';
export { default } from './task.js';
