import { parseRetryAfter, type RetryAdvice, VhbError } from '../errors.js';

/** Error codes the OpenAI-compatible client raises. */
export const openaiErrorCodes = {
  VHB_E_ADAPTER_ENDPOINT: 'No usable endpoint is configured',
  VHB_E_ADAPTER_HTTP: 'The server answered with a non-2xx status',
  VHB_E_ADAPTER_REPLY: 'The server answered 2xx but the reply is malformed',
  VHB_E_ADAPTER_TIMEOUT: 'A request took longer than timeout_ms',
  VHB_E_ADAPTER_CONNECT: 'The server could not be reached',
  VHB_E_ADAPTER_ABORTED: 'The run was interrupted while a request was in flight',
  VHB_E_ADAPTER_IMAGE: "An item's image cannot be sent",
} as const;
export type OpenAIErrorCode = keyof typeof openaiErrorCodes;

export function adapterError(code: OpenAIErrorCode, message: string, hint?: string, cause?: unknown, retry?: RetryAdvice): VhbError {
  return new VhbError(code, message, { hint, cause, ...(retry ? { retry } : {}) });
}

/** 429 and 5xx may pass if asked again (after `Retry-After` when the server gave one); other statuses will not. */
export function httpRetry(status: number, retryAfter: string | string[] | undefined): RetryAdvice | undefined {
  if (status !== 429 && status < 500) return undefined;
  const afterMs = parseRetryAfter(retryAfter);
  return afterMs === undefined ? { retryable: true } : { retryable: true, afterMs };
}

/** Collapses whitespace and cuts a server's text to a length that fits in one error line. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty body)';
}

const hintsByStatus: Record<number, string> = {
  400: 'the server refused the request: check that the model accepts images and that extra_body fields are valid',
  401: 'the server refused the API key: check the variable named by api_key_env',
  403: 'the server refused the API key: check the variable named by api_key_env',
  404: 'check that the endpoint ends in /v1 and that the server serves this model id',
  413: 'the image is too large for the server: downscale the dataset images',
  429: 'the server is rate limiting: lower `concurrency`, or retry later (failed items are retried on resume)',
};

export function httpHint(status: number): string {
  return (
    hintsByStatus[status] ?? (status >= 500 ? 'the server failed: see its logs; failed items are retried on resume' : 'see the server logs')
  );
}

/** Replaces every occurrence of the secret, so a server that echoes the key cannot leak it into results. */
export function mask(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

/** The same error with the secret masked out of its message and hint; a cause that mentions it is dropped. */
export function masked(error: unknown, secret: string | undefined): unknown {
  if (!secret || !(error instanceof VhbError)) return error;
  const cause = error.cause;
  const causeLeaks =
    cause instanceof Error ? cause.message.includes(secret) || String(cause.stack).includes(secret) : String(cause).includes(secret);
  return new VhbError(error.code, mask(error.message, secret), {
    hint: error.hint === undefined ? undefined : mask(error.hint, secret),
    cause: causeLeaks ? undefined : cause,
    ...(error.retry ? { retry: error.retry } : {}),
  });
}
