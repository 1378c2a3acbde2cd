export type { AnlsOptions } from './anls.js';
export { default, default as anls } from './anls.js';
export { normaliseAnswer } from './normalise.js';
export type { AnlsDenominator, AnlsDialect, AnlsRule } from './similarity.js';
export { ANLS_DIALECTS, anlsScore, normalisedDistance } from './similarity.js';
