export { pyFloat } from './py-float.js';
export type { Dialect } from './relaxed.js';
export { DIALECTS, relaxedAccuracy as relaxedAccuracyScore, relaxedCorrectness, toNumber } from './relaxed.js';
export { default, default as relaxedAccuracy } from './relaxed-accuracy.js';
