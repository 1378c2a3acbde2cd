import type { ChatRequest } from '../chat-schema.js';
import { GatewayError } from '../errors.js';
import { inlineImages } from '../images.js';
import { sseData } from '../sse.js';
import { BaseEngine, type EngineContext } from './engine.js';
import { Upstream } from './upstream.js';

/** Options every engine over HTTP has. */
export interface HttpEngineOptions {
  modelId?: string | undefined;
  apiKeyEnv?: string | undefined;
  jsonSchema: boolean;
  timeoutMs: number;
  connections: number;
}

/** An engine that speaks OpenAI's chat completions over HTTP: a remote server, or one the gateway started. */
export abstract class HttpEngine extends BaseEngine {
  protected upstream: Upstream | undefined;

  constructor(
    ctx: EngineContext,
    protected readonly http: HttpEngineOptions,
  ) {
    super(ctx);
  }

  get acceptsJsonSchema(): boolean {
    return this.http.jsonSchema;
  }

  /** Reads the engine's key from the environment variable named in the configuration; its value is masked from here on. */
  protected apiKey(): string | undefined {
    const name = this.http.apiKeyEnv;
    if (!name) return undefined;
    const value = this.ctx.env[name];
    if (!value) {
      throw new GatewayError('VHB_E_GATEWAY_ENV', `model "${this.name}" reads its engine key from ${name}, which is not set`, {
        hint: `export ${name}=<key> before starting the gateway`,
      });
    }
    this.ctx.masker.add(value);
    return value;
  }

  protected connect(baseUrl: string): void {
    this.upstream = new Upstream(this.name, baseUrl, this.apiKey(), this.http.timeoutMs, this.http.connections);
  }

  protected async disconnect(): Promise<void> {
    const upstream = this.upstream;
    this.upstream = undefined;
    await upstream?.close();
  }

  private async payload(body: ChatRequest, stream: boolean): Promise<Record<string, unknown>> {
    const inlined = await inlineImages(body, this.ctx.datasetRoot);
    const payload: Record<string, unknown> = { ...inlined, model: this.http.modelId ?? this.name, stream };
    if (stream) payload.stream_options = { ...(body.stream_options ?? {}), include_usage: true };
    else delete payload.stream_options;
    if (!this.http.jsonSchema && (body.response_format as { type?: string } | undefined)?.type === 'json_schema')
      delete payload.response_format;
    return payload;
  }

  private ready(): Upstream {
    if (!this.upstream || this.state !== 'loaded') {
      throw new GatewayError('VHB_E_GATEWAY_NOT_LOADED', `model "${this.name}" is not loaded`, {
        hint: `POST /v1/models/load {"model": "${this.name}"} first`,
      });
    }
    return this.upstream;
  }

  async complete(body: ChatRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    const upstream = this.ready();
    const payload = await this.payload(body, false);
    const response = await upstream.post('/chat/completions', payload, signal);
    try {
      return (await response.body.json()) as Record<string, unknown>;
    } catch (error) {
      const transport = upstream.transportError(error);
      if (transport !== error) throw transport;
      throw new GatewayError('VHB_E_GATEWAY_UPSTREAM', `the engine of model "${this.name}" answered with a body that is not JSON`, {
        hint: 'check that the engine URL points at an OpenAI-compatible API (…/v1)',
        cause: error,
      });
    }
  }

  async stream(body: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<string>> {
    const upstream = this.ready();
    const payload = await this.payload(body, true);
    const response = await upstream.post('/chat/completions', payload, signal);
    return (async function* () {
      try {
        yield* sseData(response.body);
      } catch (error) {
        throw upstream.transportError(error);
      }
    })();
  }
}
