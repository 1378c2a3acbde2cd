import { VhbError } from '@vhb/sdk';

/**
 * Error codes this metric defines. It also raises @vhb/sdk's VHB_E_METRIC_DETAILS (an aggregate
 * handed item scores without their timing details).
 */
export const errorCodes = {
  VHB_E_METRIC_NO_TIMING: 'An item has no timing, or a timing field is not a non-negative number',
} as const;

export function noTiming(id: string | undefined): VhbError {
  return new VhbError('VHB_E_METRIC_NO_TIMING', `performance: item ${JSON.stringify(id ?? '(unknown)')} has no timing`, {
    hint: 'score items the adapter answered in this run (predictions carry `timing`), or give each bin input line a "timing" object',
  });
}

export function badTiming(id: string | undefined, field: string, value: unknown): VhbError {
  return new VhbError(
    'VHB_E_METRIC_NO_TIMING',
    `performance: item ${JSON.stringify(id ?? '(unknown)')} has timing.${field} = ${JSON.stringify(value) ?? 'undefined'}, expected a non-negative number${field === 'latencyMs' ? '' : ' or null'}`,
    { hint: 'fix the adapter (or the input line) that wrote this timing' },
  );
}

/** The aggregate was handed item scores without the `latencyMs` `score()` puts in `details`. */
export function missingTiming(index: number, details: unknown): VhbError {
  return new VhbError(
    'VHB_E_METRIC_DETAILS',
    `performance aggregate needs latencyMs in each item's details; item ${index} has ${JSON.stringify(details)}`,
    {
      hint: "pass the item scores exactly as performance's score() returned them",
    },
  );
}
