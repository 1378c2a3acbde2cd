import { z } from '@vhb/sdk';

export const classificationOptions = z.object({
  /** The labels the model chooses from, spelled as the dataset's references spell them. */
  labels: z.array(z.string().trim().min(1)).min(2),
});
export type ClassificationOptions = z.infer<typeof classificationOptions>;
