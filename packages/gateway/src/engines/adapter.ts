import { randomUUID } from 'node:crypto';
import type { AdapterContext, AdapterPlugin, AdapterSession, GenerationRequest, GenerationResult, GenerationSettings } from '@vhb/sdk';
import { isVhbError, parseOptions } from '@vhb/sdk';
import type { ChatRequest } from '../chat-schema.js';
import { textOf } from '../chat-schema.js';
import { type AdapterEngineConfig, isAdapter } from '../config.js';
import { GatewayError } from '../errors.js';
import { firstImageFile } from '../images.js';
import type { CallCancel } from './cancel.js';
import { BaseEngine, type Completion, type EngineContext } from './engine.js';

/**
 * An in-process adapter plugin (e.g. @vhb/adapter-tesseract) served like an engine: load opens its
 * session, a chat request becomes one GenerationRequest (the last user message is the prompt, the
 * first image the image), and the adapter's text comes back as an OpenAI completion — one content
 * chunk when streamed.
 */
export class AdapterEngine extends BaseEngine {
  readonly kind = 'adapter' as const;
  /** Adapters take no response_format: the answer is checked on the way back all the same. */
  readonly acceptsJsonSchema = false;
  private session: AdapterSession | undefined;

  constructor(
    ctx: EngineContext,
    private readonly config: AdapterEngineConfig,
  ) {
    super(ctx);
    this.pluginName = typeof config.plugin === 'function' ? ctx.name : config.plugin.name;
  }

  private context(): AdapterContext {
    const log = this.ctx.log.child({ model: this.name, adapter: this.pluginName });
    return {
      logger: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m) },
      env: this.ctx.env,
      model: {
        name: this.name,
        ...(this.config.modelId ? { modelId: this.config.modelId } : {}),
        ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      },
    };
  }

  /** The plugin's name, once known (a lazily imported plugin is named after the model until then). */
  private pluginName: string;

  private async plugin(): Promise<AdapterPlugin> {
    const given = this.config.plugin;
    const plugin = typeof given === 'function' ? await given() : given;
    if (!isAdapter(plugin)) {
      throw new GatewayError('VHB_E_GATEWAY_LOAD', `model "${this.name}": the plugin loaded for it is not an adapter`, {
        hint: 'point the model at an adapter package (package.json#vhb.kind "adapter")',
      });
    }
    this.pluginName = plugin.name;
    return plugin;
  }

  protected async start(): Promise<void> {
    this.ctx.masker.add(...this.config.secretEnv.map((name) => this.ctx.env[name]));
    const ctx = this.context();
    try {
      const plugin = await this.plugin();
      const options = parseOptions(plugin, this.config.options);
      const reason = await plugin.unavailable?.(options, ctx);
      if (reason)
        throw new GatewayError('VHB_E_GATEWAY_LOAD', `model "${this.name}": adapter "${plugin.name}" cannot run here: ${reason}`, {
          hint: 'do what the message says, then load again',
        });
      this.session = await plugin.open(options, ctx);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError(
        'VHB_E_GATEWAY_LOAD',
        `model "${this.name}": adapter "${this.pluginName}" failed to open: ${(error as Error).message}`,
        {
          hint: isVhbError(error) && error.hint ? error.hint : 'check the adapter options in the models registry',
          cause: error,
        },
      );
    }
  }

  protected async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private async generate(body: ChatRequest, signal: AbortSignal): Promise<GenerationResult> {
    const session = this.session;
    if (!session || this.state !== 'loaded') {
      throw new GatewayError('VHB_E_GATEWAY_NOT_LOADED', `model "${this.name}" is not loaded`, {
        hint: `POST /v1/models/load {"model": "${this.name}"} first`,
      });
    }
    const image = await firstImageFile(body, this.ctx.datasetRoot);
    try {
      const user = [...body.messages].reverse().find((m) => m.role === 'user');
      const system = body.messages
        .filter((m) => m.role === 'system')
        .map((m) => textOf(m.content))
        .join('\n');
      const request: GenerationRequest = {
        id: randomUUID(),
        prompt: textOf(user?.content),
        settings: settingsOf(body),
        ...(image.file ? { image: image.file } : {}),
        ...(system ? { system } : {}),
      };
      return await session.generate(request, signal);
    } catch (error) {
      if (error instanceof GatewayError || (error as Error).name === 'AbortError') throw error;
      const code = isVhbError(error) ? `${error.code}: ` : '';
      throw new GatewayError(
        'VHB_E_GATEWAY_ADAPTER',
        `model "${this.name}": adapter "${this.pluginName}" failed: ${code}${(error as Error).message}`,
        {
          hint: isVhbError(error) && error.hint ? error.hint : 'see the gateway log',
          cause: error,
        },
      );
    } finally {
      await image.cleanup();
    }
  }

  async complete(body: ChatRequest, cancel: CallCancel): Promise<Completion> {
    const result = await this.generate(body, cancel.signal);
    const json = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.name,
      choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: 'stop' }],
      ...usageOf(result),
    };
    return { json };
  }

  async stream(body: ChatRequest, cancel: CallCancel): Promise<AsyncIterable<string>> {
    // The adapter answers whole: generate first, so a failure is an HTTP error, not a broken stream.
    const result = await this.generate(body, cancel.signal);
    const base = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: this.name,
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
    const events = [chunk({ role: 'assistant', content: '' }, null), chunk({ content: result.text }, null), chunk({}, 'stop')];
    const usage = usageOf(result);
    if (usage.usage) events.push(JSON.stringify({ ...base, choices: [], ...usage }));
    events.push('[DONE]');
    return (async function* () {
      yield* events;
    })();
  }
}

function settingsOf(body: ChatRequest): GenerationSettings {
  const settings: GenerationSettings = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) settings.maxTokens = maxTokens;
  if (body.temperature !== undefined) settings.temperature = body.temperature;
  if (body.top_p !== undefined) settings.topP = body.top_p;
  if (body.seed !== undefined) settings.seed = body.seed;
  return settings;
}

/** OpenAI usage, only when the adapter counted both sides. */
function usageOf(result: GenerationResult): { usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } } {
  const { promptTokens, completionTokens } = result.timing;
  if (promptTokens === null || completionTokens === null) return {};
  return { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } };
}
