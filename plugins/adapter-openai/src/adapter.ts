import { defineAdapter } from '@vhb/sdk';
import { endpointOf, NO_ENDPOINT, parseEndpoint } from './endpoint.js';
import { adapterError } from './errors.js';
import { openaiOptions } from './options.js';
import { openSession } from './session.js';

const badEndpoint = (value: string) => `endpoint "${value}" is not an http(s) URL — give a base URL such as http://127.0.0.1:8000/v1`;

export default defineAdapter({
  name: 'openai',
  version: '0.1.0',
  description: 'Any OpenAI-compatible chat completions endpoint with images (vLLM, SGLang, TGI, LMDeploy, Ollama, OpenAI)',
  options: openaiOptions,
  resources: { type: 'io' },
  async unavailable(_options, ctx) {
    const base = endpointOf(ctx);
    if (!base) return NO_ENDPOINT;
    return parseEndpoint(base) ? undefined : badEndpoint(base);
  },
  async open(options, ctx) {
    const base = endpointOf(ctx);
    if (!base) throw adapterError('VHB_E_ADAPTER_ENDPOINT', NO_ENDPOINT, 'see the adapter README for an example registry entry');
    const endpoint = parseEndpoint(base);
    if (!endpoint) throw adapterError('VHB_E_ADAPTER_ENDPOINT', badEndpoint(base));
    // The key is read here, not at load, so a key exported after the registry was written still works.
    const apiKey = ctx.env[options.api_key_env] || undefined;
    return openSession({ endpoint, model: ctx.model.modelId ?? ctx.model.name, apiKey, options });
  },
});
