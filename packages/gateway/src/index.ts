export { API_KEYS_ENV, KeyChecker, loadApiKeys, presentedKey } from './auth.js';
export type { ChatMessage, ChatRequest } from './chat-schema.js';
export { chatRequestSchema } from './chat-schema.js';
export type {
  AdapterEngineConfig,
  CommandEngineConfig,
  EngineConfig,
  EngineConfigInput,
  GatewayOptions,
  OpenAIEngineConfig,
  ResolvedGatewayOptions,
} from './config.js';
export { engineSchema, gatewayOptionsSchema, parseGatewayOptions } from './config.js';
export type { Engine, EngineKind, EngineState } from './engines/index.js';
export type { ErrorBody, GatewayErrorCode } from './errors.js';
export { errorStatus, GatewayError, gatewayErrorCodes } from './errors.js';
export type { Gateway } from './gateway.js';
export { createGateway } from './gateway.js';
export { GpuSampler } from './gpu.js';
export { resolveImagePath } from './images.js';
export type { LogDestination } from './mask.js';
export { Masker } from './mask.js';
export type { RequestTiming } from './timing.js';
export { VERSION } from './version.js';
