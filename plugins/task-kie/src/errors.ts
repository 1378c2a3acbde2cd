import { VhbError } from '@vhb/sdk';

/** Error codes this task raises. */
export const errorCodes = {
  VHB_E_TASK_NO_IMAGE: 'A key-information-extraction item has no document image to read',
} as const;

export function noImage(id: string): VhbError {
  return new VhbError('VHB_E_TASK_NO_IMAGE', `kie item ${id} has no image`, {
    hint: 'give the item an `image` in the dataset manifest, or drop it from the dataset',
  });
}
