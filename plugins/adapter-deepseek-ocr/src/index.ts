export type { DeepSeekOcrDetails, DeepSeekOcrResult } from './adapter.js';
export { deepseekOcrDetails, default, ENDPOINT_ENV } from './adapter.js';
export type { GroundedOutput, OcrBox, ParseOptions } from './grounding.js';
export { GRID, parseGrounded } from './grounding.js';
export { stripMarkdown } from './markdown.js';
export type { DeepSeekOcrOptions, Mode } from './options.js';
export { deepseekOcrOptions, MODES, NGRAM_DEFAULTS } from './options.js';
export { PROMPTS, promptFor } from './prompts.js';
