import { z } from '@vhb/sdk';

const num = z.number();
const int = z.number().int();
const bool = z.boolean();
const str = z.string();
const any = z.unknown();
const strings = z.union([z.string(), z.array(z.string())]);
const ints = z.array(z.number().int());
const object = z.record(z.string(), z.unknown());

/** Fields of OpenAI's own chat completions request: every preset accepts them. */
export const openaiStandardFields = {
  model: str,
  messages: z.array(any),
  stream: bool,
  stream_options: object,
  max_tokens: int,
  max_completion_tokens: int,
  temperature: num,
  top_p: num,
  seed: int,
  n: int,
  stop: strings,
  frequency_penalty: num,
  presence_penalty: num,
  logit_bias: z.record(z.string(), z.number()),
  logprobs: bool,
  top_logprobs: int,
  response_format: object,
  tools: z.array(any),
  tool_choice: any,
  parallel_tool_calls: bool,
  reasoning_effort: str,
  user: str,
  metadata: z.record(z.string(), z.string()),
  store: bool,
  service_tier: str,
  modalities: z.array(str),
  prediction: object,
  verbosity: str,
  prompt_cache_key: str,
  safety_identifier: str,
};

/**
 * The engine-specific request fields each preset accepts beyond OpenAI's, from each engine's
 * OpenAI-compatible chat request (see the README for the sources).
 */
export const presetFields = {
  vllm: {
    top_k: int,
    min_p: num,
    repetition_penalty: num,
    length_penalty: num,
    min_tokens: int,
    stop_token_ids: ints,
    include_stop_str_in_output: bool,
    ignore_eos: bool,
    skip_special_tokens: bool,
    spaces_between_special_tokens: bool,
    truncate_prompt_tokens: int,
    prompt_logprobs: int,
    allowed_token_ids: ints,
    bad_words: z.array(str),
    use_beam_search: bool,
    echo: bool,
    add_generation_prompt: bool,
    continue_final_message: bool,
    add_special_tokens: bool,
    documents: z.array(object),
    chat_template: str,
    chat_template_kwargs: object,
    mm_processor_kwargs: object,
    structured_outputs: object,
    guided_json: any,
    guided_regex: str,
    guided_choice: z.array(str),
    guided_grammar: str,
    structural_tag: str,
    guided_decoding_backend: str,
    guided_whitespace_pattern: str,
    priority: int,
    request_id: str,
    return_tokens_as_token_ids: bool,
    cache_salt: str,
    vllm_xargs: object,
  },
  sglang: {
    top_k: int,
    min_p: num,
    min_tokens: int,
    repetition_penalty: num,
    regex: str,
    ebnf: str,
    stop_token_ids: ints,
    no_stop_trim: bool,
    ignore_eos: bool,
    skip_special_tokens: bool,
    continue_final_message: bool,
    chat_template_kwargs: object,
    separate_reasoning: bool,
    stream_reasoning: bool,
    lora_path: strings,
    session_params: object,
    rid: str,
    return_hidden_states: bool,
  },
  tgi: {
    tool_prompt: str,
    guideline: str,
  },
  lmdeploy: {
    top_k: int,
    min_p: num,
    repetition_penalty: num,
    min_new_tokens: int,
    ignore_eos: bool,
    skip_special_tokens: bool,
    spaces_between_special_tokens: bool,
    include_stop_str_in_output: bool,
    session_id: int,
    enable_thinking: bool,
  },
  ollama: {
    reasoning: object,
    keep_alive: z.union([z.string(), z.number()]),
    options: z.object({ num_ctx: int.positive().optional() }).catchall(any),
  },
  openai: {},
} satisfies Record<string, Record<string, z.ZodType>>;

export type PresetName = keyof typeof presetFields;
export const PRESET_NAMES = Object.keys(presetFields) as PresetName[];

/** Each preset as one zod schema: OpenAI's fields plus the engine's, nothing else. */
export const presets = Object.fromEntries(
  PRESET_NAMES.map((name) => [name, z.strictObject({ ...openaiStandardFields, ...presetFields[name] }).partial()]),
) as unknown as Record<PresetName, z.ZodType>;

/** What a preset accepts, in words, for error messages. */
export function acceptedBy(preset: PresetName): string {
  const own = Object.keys(presetFields[preset]);
  return own.length ? `${own.join(', ')} and OpenAI's standard fields` : "only OpenAI's standard fields";
}

/**
 * Problems of `extra_body` under a preset: a field the engine does not accept (named with the
 * preset and what it does accept) or a value of the wrong type. Empty when it is fine.
 */
export function presetProblems(preset: PresetName, extraBody: Record<string, unknown>): { path: string[]; message: string }[] {
  const known = { ...openaiStandardFields, ...presetFields[preset] } as Record<string, z.ZodType>;
  const problems: { path: string[]; message: string }[] = [];
  for (const [key, value] of Object.entries(extraBody)) {
    const schema = known[key];
    if (!schema) {
      problems.push({
        path: ['extra_body', key],
        message: `extra_body.${key} is not an option the ${preset} preset accepts; it accepts ${acceptedBy(preset)}`,
      });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'invalid value';
      problems.push({ path: ['extra_body', key], message: `extra_body.${key} (${preset} preset): ${why}` });
    }
  }
  return problems;
}
