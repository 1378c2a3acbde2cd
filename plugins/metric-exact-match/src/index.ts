export { squadNormalize as normalizeAnswer } from '@vhb/sdk';
export type { SquadDialect } from './dialects.js';
export { SQUAD_DIALECTS } from './dialects.js';
export type { ExactMatchOptions } from './exact-match.js';
export { default, default as exactMatch } from './exact-match.js';
