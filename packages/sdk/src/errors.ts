/**
 * Base of every VLMHyperBench error: a stable code (`VHB_E_<AREA>_<WHAT>`), a message naming what
 * failed and the offending value, and a one-line hint saying what to do. The original goes in `cause`.
 */
export class VhbError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VhbError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** Error codes raised by the SDK's run pipeline. */
export const sdkErrorCodes = {
  VHB_E_PLUGIN_OPTIONS: "A plugin's options do not match its schema",
  VHB_E_RUN_SPEC: 'A run file (run.json) is missing or malformed',
  VHB_E_ITEM_GENERATE: 'The adapter failed to answer one item',
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
