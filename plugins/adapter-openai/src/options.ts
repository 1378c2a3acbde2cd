import { z } from '@vhb/sdk';

export const openaiOptions = z.object({
  /** Name of the environment variable holding the API key; the key itself never goes in a registry file. */
  api_key_env: z.string().min(1).default('OPENAI_API_KEY'),
  /** Wall-clock limit for one request, from sending it to the last byte of the answer. */
  timeout_ms: z.number().int().positive().default(120_000),
  /** Stream the answer (SSE), which is what makes time to first token measurable. */
  stream: z.boolean().default(true),
  /** Requests in flight at once (and connections kept open). */
  concurrency: z.number().int().positive().default(4),
  /** Extra request fields (top_k, repetition_penalty, chat_template_kwargs, ...); the run's settings win over them. */
  extra_body: z.record(z.string(), z.unknown()).default({}),
});
export type OpenAIOptions = z.infer<typeof openaiOptions>;
