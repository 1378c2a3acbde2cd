export { errorCodes } from './errors.js';
export { parseVqaAnswer } from './parse.js';
export { default } from './task.js';
