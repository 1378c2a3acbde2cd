import { availableParallelism } from 'node:os';
import { z } from '@vhb/sdk';

export const tesseractOptions = z.strictObject({
  /** Worker threads, each running one recognition at a time. Default: one per core. */
  workers: z
    .number()
    .int()
    .positive()
    .default(() => availableParallelism()),
  /** Languages, like `eng` or `rus+eng`; overrides the model's modelId. */
  languages: z.string().min(1).optional(),
  /** Tesseract page segmentation mode, 0–13 (3 = fully automatic, tesseract's default). */
  psm: z.number().int().min(0).max(13).optional(),
});
export type TesseractOptions = z.infer<typeof tesseractOptions>;
