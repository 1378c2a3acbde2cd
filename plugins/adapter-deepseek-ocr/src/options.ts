import { z } from '@vhb/sdk';

/** The prompt forms of the model card, by name. */
export const MODES = ['free_ocr', 'markdown', 'grounding_ocr', 'parse_figure', 'describe', 'locate'] as const;
export type Mode = (typeof MODES)[number];

/** vLLM's recipe values for DeepSeek-OCR's n-gram repetition guard (whitelist: the <td>, </td> token ids). */
export const NGRAM_DEFAULTS = { ngram_size: 30, window_size: 90, whitelist_token_ids: [128821, 128822] };

const ngramGuard = z.object({
  ngram_size: z.number().int().positive().default(NGRAM_DEFAULTS.ngram_size),
  window_size: z.number().int().positive().default(NGRAM_DEFAULTS.window_size),
  whitelist_token_ids: z.array(z.number().int().nonnegative()).default(NGRAM_DEFAULTS.whitelist_token_ids),
});

export const deepseekOcrOptions = z.object({
  /** Which of the model's prompt forms to send; the task's own prompt is replaced by it. */
  mode: z.enum(MODES).default('free_ocr'),
  /** For mode `locate`: the text to find. Without it the task's prompt is the text to find. */
  locate_text: z.string().min(1).optional(),
  /** Keep the model's markdown in the answer, or strip it to plain text. */
  markdown: z.enum(['keep', 'strip']).default('keep'),
  /** Arguments of vLLM's NGramPerReqLogitsProcessor, sent as `vllm_xargs`; false sends none. */
  ngram_guard: z.union([z.literal(false), ngramGuard]).default({ ...NGRAM_DEFAULTS }),
  /** Name of the environment variable holding the API key (vLLM's --api-key), if the server wants one. */
  api_key_env: z.string().min(1).default('VHB_DEEPSEEK_OCR_API_KEY'),
  /** Wall-clock limit for one request; a dense page can be thousands of tokens. */
  timeout_ms: z.number().int().positive().default(300_000),
  /** Stream the answer (SSE), which is what makes time to first token measurable. */
  stream: z.boolean().default(true),
  /** Requests in flight at once (and connections kept open). */
  concurrency: z.number().int().positive().default(4),
  /** Extra request fields, over the adapter's own (`skip_special_tokens`, `vllm_xargs`, `temperature`). */
  extra_body: z.record(z.string(), z.unknown()).default({}),
});
export type DeepSeekOcrOptions = z.infer<typeof deepseekOcrOptions>;
