// The client lives in @vhb/sdk/openai; these stay here so code written against 0.1.0 keeps working.
export type { Reply, Usage } from '@vhb/sdk/openai';
export { imageDataUrl, mimeOf, openaiErrorCodes as errorCodes, parseCompletion, readCompletionStream, sseData } from '@vhb/sdk/openai';
export { default } from './adapter.js';
export type { OpenAIOptions } from './options.js';
export { openaiOptions } from './options.js';
export type { PresetName } from './presets.js';
export { openaiStandardFields, PRESET_NAMES, presetFields, presetProblems, presets } from './presets.js';
