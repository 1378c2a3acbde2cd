import { VhbError } from '@vhb/sdk';

/**
 * Error codes this metric defines. It also raises two of @vhb/sdk's: VHB_E_METRIC_NO_REFERENCE
 * (an item without references) and VHB_E_METRIC_DETAILS (an aggregate without its item counts).
 */
export const errorCodes = {
  VHB_E_METRIC_REFERENCE: "An item's reference is not a JSON object",
} as const;

export function badReference(reference: string, why: string): VhbError {
  const shown = reference.length > 80 ? `${reference.slice(0, 77)}...` : reference;
  return new VhbError('VHB_E_METRIC_REFERENCE', `json: the reference must be a JSON object (${why}), got ${JSON.stringify(shown)}`, {
    hint: 'write the item\'s expected answer in `references[0]` as a JSON object, e.g. {"total": "12.50"}',
  });
}

/** The aggregate was handed item scores without the counts `score()` puts in `details`. */
export function missingCounts(index: number, details: unknown): VhbError {
  return new VhbError(
    'VHB_E_METRIC_DETAILS',
    `json aggregate needs parsed, tp, fp and fn in each item's details; item ${index} has ${JSON.stringify(details)}`,
    {
      hint: "pass the item scores exactly as json's score() returned them",
    },
  );
}
