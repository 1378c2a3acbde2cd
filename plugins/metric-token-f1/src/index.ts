export { squadNormalize as normalizeAnswer } from '@vhb/sdk';
export type { SquadDialect } from './dialects.js';
export { SQUAD_DIALECTS } from './dialects.js';
export { maxTokenF1, tokenF1 as tokenF1Score } from './f1.js';
export type { TokenF1Options } from './token-f1.js';
export { default, default as tokenF1 } from './token-f1.js';
