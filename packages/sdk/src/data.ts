import { z } from 'zod';

/** One item of a dataset, as a dataset plugin yields it. */
export const datasetItemSchema = z.object({
  /** Unique within the dataset; the key for resume. */
  id: z.string().min(1),
  /** Absolute path of the image, already resolved against the dataset root. */
  image: z.string().optional(),
  /** The question, for VQA-style tasks. */
  question: z.string().optional(),
  /** Acceptable answers: ground-truth text for OCR, answers for VQA, the label for classification. */
  references: z.array(z.string()),
  /** Free fields (doc_type, language, ...): everything results can be grouped by. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type DatasetItem = z.infer<typeof datasetItemSchema>;

/** Generation settings passed through to the model. */
export const generationSettingsSchema = z
  .object({
    maxTokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).optional(),
    topP: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .catchall(z.unknown());
export type GenerationSettings = z.infer<typeof generationSettingsSchema>;

/** What a task asks an adapter for one item. */
export interface GenerationRequest {
  /** Item id, for logs and errors. */
  id: string;
  /** Absolute image path, if the item has one. */
  image?: string;
  /** The user prompt, with the item's variables filled in. */
  prompt: string;
  /** Optional system prompt. */
  system?: string;
  /** Generation settings from the run. */
  settings: GenerationSettings;
}

/** Timing of one generation; null where the adapter cannot measure it. */
export interface Timing {
  /** Wall time from request to full answer, in ms. */
  latencyMs: number;
  /** Time to first token, in ms. */
  ttftMs: number | null;
  /** Time per output token after the first, in ms. */
  tpotMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Peak memory seen during the request, in MB (GPU for engines, RSS for in-process adapters). */
  peakMemoryMb: number | null;
}

/** An adapter's answer for one request. */
export interface GenerationResult {
  text: string;
  timing: Timing;
  /**
   * Structured output beyond the text (e.g. an OCR engine's boxes), plain JSON; stored on the
   * prediction as `output` and kept by the response cache.
   */
  output?: Record<string, unknown>;
}

/** One line of predictions.jsonl. */
export interface PredictionRecord {
  id: string;
  /** The task's parsed answer; null when the item failed. */
  prediction: string | null;
  /** The model's raw text before the task parsed it. */
  raw: string | null;
  /** The adapter's structured output beyond the text (GenerationResult.output), when it gave one. */
  output?: Record<string, unknown>;
  references: string[];
  metadata: Record<string, unknown>;
  /** Absolute path of the item's image, when it has one (for reports). */
  image?: string;
  /** Id of the prompt template used. */
  prompt: string;
  timing: Timing | null;
  /** Requests sent for this record (retries included); 0 when the answer came from the response cache. */
  attempts?: number;
  /** `'hit'` when the answer came from the response cache (timing is then the original request's). */
  cache?: 'hit';
  /** What went wrong, when the item failed: failures are data, never a crashed run. */
  error: { code: string; message: string; attempts?: number } | null;
}

/** One line of metrics.jsonl: one item scored by one metric. */
export interface MetricRecord {
  id: string;
  /** `name@algorithmVersion`. */
  metric: string;
  /** null when the metric could not score the item; `error` says why. */
  score: number | null;
  details?: Record<string, number>;
  error?: { code: string; message: string };
}
