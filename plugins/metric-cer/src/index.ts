export { default, default as cer } from './cer.js';
export { cerTokens } from './transform.js';
