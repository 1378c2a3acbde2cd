import type { AdapterSession } from '@vhb/sdk';
import { parseOptions } from '@vhb/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import adapter, { openaiOptions, PRESET_NAMES, type PresetName, presets } from '../src/index.js';
import { KEY, openSession, request } from './helpers/context.js';
import { type OpenAIServer, startOpenAIServer } from './helpers/openai-server.js';

let server: OpenAIServer;
let session: AdapterSession | undefined;

beforeAll(async () => {
  server = await startOpenAIServer({ apiKey: KEY });
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  server.requests.length = 0;
});
afterAll(() => server.close());

/** Engine fields each preset must send as given, and a field of another engine it must refuse. */
const cases: Record<PresetName, { fields: Record<string, unknown>; foreign: Record<string, unknown> }> = {
  vllm: {
    fields: {
      top_k: 20,
      min_p: 0.05,
      repetition_penalty: 1.05,
      skip_special_tokens: false,
      chat_template_kwargs: { enable_thinking: false },
      mm_processor_kwargs: { max_pixels: 1_003_520 },
      structured_outputs: { json: { type: 'object' } },
      guided_json: { type: 'object', properties: { total: { type: 'number' } } },
      vllm_xargs: { ngram_size: 30 },
    },
    foreign: { regex: '\\d+' }, // SGLang's, not vLLM's (vLLM: guided_regex)
  },
  sglang: {
    fields: { top_k: 20, min_p: 0.05, repetition_penalty: 1.1, regex: '\\d+', ebnf: 'root ::= "a"', separate_reasoning: true },
    foreign: { guided_json: { type: 'object' } },
  },
  tgi: {
    fields: { tool_prompt: 'Use the tools.', guideline: 'Be brief.', response_format: { type: 'json', value: { type: 'object' } } },
    // TGI's Messages API reads neither: they belong to its native /generate.
    foreign: { top_k: 10 },
  },
  lmdeploy: {
    fields: { top_k: 40, repetition_penalty: 1.02, min_new_tokens: 2, session_id: 7, skip_special_tokens: true },
    foreign: { chat_template_kwargs: {} },
  },
  ollama: {
    fields: { options: { num_ctx: 8192 }, keep_alive: '5m', reasoning: { effort: 'low' } },
    foreign: { top_k: 40 },
  },
  openai: {
    fields: { frequency_penalty: 0.5, presence_penalty: 0.1, stop: ['\n\n'], logprobs: true, top_logprobs: 2, user: 'bench' },
    foreign: { top_k: 40 },
  },
};

describe('presets', () => {
  it('there is one case per preset, and each preset is a zod schema', () => {
    expect(Object.keys(cases).sort()).toEqual([...PRESET_NAMES].sort());
    expect(PRESET_NAMES.sort()).toEqual(['lmdeploy', 'ollama', 'openai', 'sglang', 'tgi', 'vllm']);
    expect(presets.vllm.safeParse({ top_k: 3 }).success).toBe(true);
    expect(presets.openai.safeParse({ top_k: 3 }).success).toBe(false);
  });

  it.each(PRESET_NAMES)('%s sends its engine fields in the request body', async (preset) => {
    const { fields } = cases[preset];
    session = await openSession(server.baseUrl, { preset, extra_body: fields });
    await session.generate(request({ settings: { maxTokens: 16 } }));
    const body = server.requests[0]?.body;
    expect(body).toMatchObject(fields);
    expect(body).toMatchObject({ model: 'org/fake-vl', max_tokens: 16, stream: true });
  });

  it.each(PRESET_NAMES)("%s refuses another engine's field, naming the option, the preset and what it accepts", (preset) => {
    const { foreign } = cases[preset];
    const [key] = Object.keys(foreign);
    const parsed = openaiOptions.safeParse({ preset, extra_body: foreign });
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path).toEqual(['extra_body', key]);
    expect(issue?.message).toContain(`extra_body.${key} is not an option the ${preset} preset accepts`);
    expect(issue?.message).toContain("OpenAI's standard fields");
  });

  it('names what the preset accepts, and the host turns it into VHB_E_PLUGIN_OPTIONS listing every problem', () => {
    let thrown: unknown;
    try {
      parseOptions(adapter, { preset: 'tgi', extra_body: { top_k: 5, repetition_penalty: 1.1, tool_prompt: 'x' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'VHB_E_PLUGIN_OPTIONS' });
    const message = (thrown as Error).message;
    expect(message).toContain(
      "extra_body.top_k: extra_body.top_k is not an option the tgi preset accepts; it accepts tool_prompt, guideline and OpenAI's standard fields",
    );
    expect(message).toContain('extra_body.repetition_penalty: extra_body.repetition_penalty is not an option the tgi preset accepts');
    expect(message).not.toContain('tool_prompt is not');
  });

  it('the openai preset accepts nothing beyond the standard', () => {
    const parsed = openaiOptions.safeParse({ preset: 'openai', extra_body: { min_p: 0.1 } });
    expect(parsed.error?.issues[0]?.message).toBe(
      "extra_body.min_p is not an option the openai preset accepts; it accepts only OpenAI's standard fields",
    );
  });

  it('checks the type of an accepted field', () => {
    const parsed = openaiOptions.safeParse({ preset: 'vllm', extra_body: { top_k: 'many' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['extra_body', 'top_k']);
    expect(parsed.error?.issues[0]?.message).toMatch(/^extra_body\.top_k \(vllm preset\): /);
  });

  it('refuses an unknown preset, and without a preset any extra field goes through', async () => {
    expect(openaiOptions.safeParse({ preset: 'triton' }).success).toBe(false);
    session = await openSession(server.baseUrl, { extra_body: { anything_goes: 1 } });
    await session.generate(request());
    expect(server.requests[0]?.body.anything_goes).toBe(1);
  });
});
