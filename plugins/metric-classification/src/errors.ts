import { VhbError } from '@vhb/sdk';

/**
 * Error codes this metric defines. It also raises two of @vhb/sdk's: VHB_E_METRIC_NO_REFERENCE
 * (an item without references) and VHB_E_METRIC_DETAILS (an aggregate without its item data).
 */
export const errorCodes = {
  VHB_E_METRIC_UNKNOWN_LABEL: 'A reference label is not one of the labels the metric was given',
} as const;

export function unknownLabel(reference: string, labels: readonly string[]): VhbError {
  return new VhbError(
    'VHB_E_METRIC_UNKNOWN_LABEL',
    `classification: the reference label ${JSON.stringify(reference)} is not one of the labels [${labels.map((l) => JSON.stringify(l)).join(', ')}]`,
    { hint: "add it to the metric's `labels` option, or fix the item's reference in the dataset" },
  );
}

/** The aggregate was handed an item score without the `{reference, prediction}` part `score()` puts in it. */
export function missingParts(index: number, score: unknown): VhbError {
  return new VhbError(
    'VHB_E_METRIC_DETAILS',
    `classification aggregate needs a part with labels {reference, prediction} in each item score; item ${index} is ${JSON.stringify(score)}`,
    { hint: 'pass the item scores exactly as classification.score() returned them' },
  );
}
