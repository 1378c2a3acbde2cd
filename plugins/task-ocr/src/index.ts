export { errorCodes } from './errors.js';
export { parseOcrAnswer } from './parse.js';
export { default } from './task.js';
