export { default, default as chrf } from './chrf.js';
export { computeChrf } from './compute.js';
