import { z } from '@vhb/sdk';
import { PRESET_NAMES, type PresetName, presetProblems } from './presets.js';

export const openaiOptions = z
  .object({
    /** Name of the environment variable holding the API key; the key itself never goes in a registry file. */
    api_key_env: z.string().min(1).default('OPENAI_API_KEY'),
    /** Wall-clock limit for one request, from sending it to the last byte of the answer. */
    timeout_ms: z.number().int().positive().default(120_000),
    /** Stream the answer (SSE), which is what makes time to first token measurable. */
    stream: z.boolean().default(true),
    /** Requests in flight at once (and connections kept open). */
    concurrency: z.number().int().positive().default(4),
    /** The engine behind the endpoint: extra_body is then checked against the fields that engine accepts. */
    preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]).optional(),
    /** Extra request fields (top_k, repetition_penalty, chat_template_kwargs, ...); the run's settings win over them. */
    extra_body: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((options, ctx) => {
    if (!options.preset) return;
    for (const problem of presetProblems(options.preset, options.extra_body)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  });
export type OpenAIOptions = z.infer<typeof openaiOptions>;
