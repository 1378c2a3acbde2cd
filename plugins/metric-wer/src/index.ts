export { werTokens } from './transform.js';
export { default, default as wer } from './wer.js';
