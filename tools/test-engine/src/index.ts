export { main, USAGE } from './cli.js';
export { startTestEngine } from './engine.js';
export { countPromptTokens, defaultAnswer, defaultChunks, IMAGE_TOKENS, lastUserText, messageText } from './protocol.js';
export type {
  Behaviour,
  ChatMessage,
  ChatRequestBody,
  ContentPart,
  Counts,
  Failure,
  FirstContent,
  RecordedRequest,
  TestEngine,
  TestEngineOptions,
} from './types.js';
