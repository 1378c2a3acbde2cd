export { EXIT } from './exit-codes.js';
export { main } from './main.js';
export type { Output } from './ui/output.js';
