import { VhbError } from '@vhb/sdk';

/** Error codes the gateway raises, with what each means. The HTTP status each maps to is in `errorStatus`. */
export const gatewayErrorCodes = {
  VHB_E_GATEWAY_CONFIG: "The gateway's options (engines, dataset root, auth) are invalid",
  VHB_E_GATEWAY_NO_AUTH: 'No API key is configured and unauthenticated serving was not asked for',
  VHB_E_GATEWAY_KEY_FILE: 'The API key file cannot be read or holds no key',
  VHB_E_GATEWAY_UNAUTHORIZED: 'A request came without an API key, or with a wrong one',
  VHB_E_GATEWAY_REQUEST: 'A request body does not match the route schema',
  VHB_E_GATEWAY_MODEL_UNKNOWN: 'A request names a model the gateway is not configured for',
  VHB_E_GATEWAY_NOT_LOADED: 'A request names a model whose engine is not loaded',
  VHB_E_GATEWAY_IMAGE: 'An image part is outside the dataset root, unreadable, or of a kind the engine cannot take',
  VHB_E_GATEWAY_SCHEMA: 'A response_format json_schema is not a valid JSON Schema',
  VHB_E_GATEWAY_ENV: 'An environment variable an engine needs is not set',
  VHB_E_GATEWAY_LOAD: 'An engine failed to start or to become healthy in time',
  VHB_E_GATEWAY_UPSTREAM: 'The engine answered with an error, or could not be reached',
  VHB_E_GATEWAY_RATE_LIMITED: 'The engine answered 429 (its Retry-After is passed on)',
  VHB_E_GATEWAY_TIMEOUT: 'The engine did not answer in time',
  VHB_E_GATEWAY_ADAPTER: 'An in-process adapter failed to answer',
  VHB_E_GATEWAY_INTERNAL: 'An unexpected error inside the gateway',
} as const;
export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

/** The HTTP status of each error code. */
export const errorStatus: Record<GatewayErrorCode, number> = {
  VHB_E_GATEWAY_CONFIG: 500,
  VHB_E_GATEWAY_NO_AUTH: 500,
  VHB_E_GATEWAY_KEY_FILE: 500,
  VHB_E_GATEWAY_UNAUTHORIZED: 401,
  VHB_E_GATEWAY_REQUEST: 400,
  VHB_E_GATEWAY_MODEL_UNKNOWN: 404,
  VHB_E_GATEWAY_NOT_LOADED: 409,
  VHB_E_GATEWAY_IMAGE: 400,
  VHB_E_GATEWAY_SCHEMA: 400,
  VHB_E_GATEWAY_ENV: 503,
  VHB_E_GATEWAY_LOAD: 503,
  VHB_E_GATEWAY_UPSTREAM: 502,
  VHB_E_GATEWAY_RATE_LIMITED: 429,
  VHB_E_GATEWAY_TIMEOUT: 504,
  VHB_E_GATEWAY_ADAPTER: 502,
  VHB_E_GATEWAY_INTERNAL: 500,
};

/** A gateway error: a VhbError whose code maps to an HTTP status, optionally with headers to pass on (Retry-After). */
export class GatewayError extends VhbError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.status = options.status ?? errorStatus[code];
    this.headers = options.headers ?? {};
  }
}

/** The OpenAI-style error body every failed request gets (clients of OpenAI servers read `error.message`). */
export interface ErrorBody {
  error: { message: string; type: string; code: string; hint?: string };
}

export function errorBody(code: string, message: string, hint?: string): ErrorBody {
  const type =
    code === 'VHB_E_GATEWAY_UNAUTHORIZED' ? 'authentication_error' : code.endsWith('_REQUEST') ? 'invalid_request_error' : 'vhb_error';
  return { error: { message, type, code, ...(hint ? { hint } : {}) } };
}
