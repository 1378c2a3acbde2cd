import { defineAdapter } from '@vhb/sdk';
import { endpointProblem, openChatSession, requireEndpoint } from '@vhb/sdk/openai';
import { openaiOptions } from './options.js';

/** Where the endpoint comes from when the model entry names none. */
const ENV = 'VHB_OPENAI_BASE_URL';
/** Overrides the model id sent to the server, so one registry entry fits whatever model an endpoint serves. */
const MODEL_ENV = 'VHB_OPENAI_MODEL';

export default defineAdapter({
  name: 'openai',
  version: '0.1.0',
  description: 'Any OpenAI-compatible chat completions endpoint with images (vLLM, SGLang, TGI, LMDeploy, Ollama, OpenAI)',
  options: openaiOptions,
  resources: { type: 'io' },
  async unavailable(_options, ctx) {
    return endpointProblem(ctx, ENV);
  },
  // Answers depend on the server and model actually reached (from the environment too) and on the
  // engine options sent; the key's name and the timeouts do not.
  identity(options, ctx) {
    return {
      endpoint: ctx.model.endpoint || ctx.env[ENV] || null,
      model: ctx.env[MODEL_ENV] || ctx.model.modelId || ctx.model.name,
      preset: options.preset ?? null,
      extraBody: options.extra_body,
      stream: options.stream,
    };
  },
  async open(options, ctx) {
    const endpoint = requireEndpoint(ctx, ENV);
    // The key is read here, not at load, so a key exported after the registry was written still works.
    const apiKey = ctx.env[options.api_key_env] || undefined;
    return openChatSession({
      endpoint,
      model: ctx.env[MODEL_ENV] || ctx.model.modelId || ctx.model.name,
      apiKey,
      timeoutMs: options.timeout_ms,
      stream: options.stream,
      concurrency: options.concurrency,
      extraBody: options.extra_body,
    });
  },
});
