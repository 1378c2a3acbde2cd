export { default } from './adapter.js';
export { errorCodes } from './errors.js';
export { imageDataUrl, mimeOf } from './image.js';
export type { OpenAIOptions } from './options.js';
export { openaiOptions } from './options.js';
export type { Reply, Usage } from './reply.js';
export { parseCompletion, readCompletionStream } from './reply.js';
export { sseData } from './sse.js';
