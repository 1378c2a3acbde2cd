import { VhbError } from '@vhb/sdk';

/** The aggregate was handed item scores without the n-gram statistics `score()` puts in `details`. */
export function missingStatistics(key: string, details: unknown): VhbError {
  return new VhbError('VHB_E_METRIC_DETAILS', `chrf aggregate needs "${key}" in each item's details, got ${JSON.stringify(details)}`, {
    hint: "pass the item scores exactly as chrf's score() returned them, scored with the same charOrder and wordOrder",
  });
}
