// @vhb/sdk/openai: a client for OpenAI-compatible chat completions servers (vLLM, SGLang, TGI,
// LMDeploy, Ollama, OpenAI). A separate entry so that plugins which do not use it never load undici.
export type { BodyOptions } from './body.js';
export { buildChatBody, ChatBodyText } from './body.js';
export type { Endpoint } from './endpoint.js';
export { endpointOf, endpointProblem, noEndpoint, parseEndpoint, requireEndpoint } from './endpoint.js';
export type { OpenAIErrorCode } from './errors.js';
export { mask, openaiErrorCodes } from './errors.js';
export { IMAGE_MIME_TYPES, imageDataUrl, mimeOf } from './image.js';
export { rawHeader } from './raw-header.js';
export type { Reply, Usage } from './reply.js';
export { CompletionStream, parseCompletion, readCompletionStream } from './reply.js';
export type { ChatSessionConfig } from './session.js';
export { openChatSession } from './session.js';
export { SseParser, sseData } from './sse.js';
export { timingOf } from './timing.js';
