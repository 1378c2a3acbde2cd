/**
 * Base of every VLMHyperBench error: a stable code (`VHB_E_<AREA>_<WHAT>`), a message naming what
 * failed and the offending value, and a one-line hint saying what to do. The original goes in `cause`.
 */
export class VhbError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** Set when the same call may succeed if made again (rate limits, 5xx, timeouts, dropped connections). */
  readonly retry: RetryAdvice | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; retry?: RetryAdvice } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VhbError';
    this.code = code;
    this.hint = options.hint;
    this.retry = options.retry;
  }
}

/** What an adapter says about trying a failed call again; the runner decides how often and when. */
export interface RetryAdvice {
  /** The failure is transient: a later attempt may succeed. */
  retryable: true;
  /** The server asked for this wait before the next attempt (`Retry-After`), in milliseconds. */
  afterMs?: number;
}

/** The retry advice an error carries, if any. */
export function retryAdviceOf(error: unknown): RetryAdvice | undefined {
  const retry = (error as { retry?: RetryAdvice } | null)?.retry;
  return retry?.retryable === true ? retry : undefined;
}

/**
 * Reads an HTTP `Retry-After` value (seconds, or an HTTP date) as milliseconds from `now`;
 * undefined when absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Error codes raised by the SDK's run pipeline. */
export const sdkErrorCodes = {
  VHB_E_PLUGIN_OPTIONS: "A plugin's options do not match its schema",
  VHB_E_RUN_SPEC: 'A run file (run.json) is missing or malformed',
  VHB_E_ITEM_GENERATE: 'The adapter failed to answer one item',
  VHB_E_ITEM_TIMEOUT: "One item got no answer within the run's inference.item_timeout_ms, retries included",
  VHB_E_ITEM_SCORE: 'A metric failed to score one item',
  VHB_E_DATASET_ITEM: 'A dataset row is malformed',
  VHB_E_METRIC_NO_REFERENCE: 'A metric was asked to score an item that has no reference',
  VHB_E_METRIC_DETAILS: 'An error-rate aggregate was given item scores without their edit counts',
} as const;

export function isVhbError(error: unknown): error is VhbError {
  return error instanceof Error && typeof (error as VhbError).code === 'string' && (error as VhbError).code.startsWith('VHB_E_');
}

/** What a metric throws for an item without references; the host records it on the item. */
export function noReferenceError(metric: string): VhbError {
  return new VhbError('VHB_E_METRIC_NO_REFERENCE', `${metric} needs at least one reference, got references = []`, {
    hint: 'give the item its ground truth in `references` in the dataset manifest',
  });
}
