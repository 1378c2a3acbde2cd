import { VhbError } from '@vhb/sdk';

/** Error codes this task raises. */
export const errorCodes = {
  VHB_E_TASK_NO_QUESTION: 'A VQA item has no question to ask',
} as const;

export function noQuestion(id: string): VhbError {
  return new VhbError('VHB_E_TASK_NO_QUESTION', `vqa item ${id} has no question`, {
    hint: 'give the item a non-empty `question` in the dataset manifest, or run it with another task',
  });
}
