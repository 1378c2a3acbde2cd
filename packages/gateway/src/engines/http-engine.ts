import type { ChatRequest } from '../chat-schema.js';
import { GatewayError } from '../errors.js';
import { hasImagePaths, inlineImages } from '../images.js';
import type { CallCancel } from './cancel.js';
import { BaseEngine, type Completion, type EngineContext } from './engine.js';
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

  /** The body sent to the engine: its model id, `stream` as asked, image paths read into data URLs. */
  private payload(body: ChatRequest, stream: boolean): Record<string, unknown> | Promise<Record<string, unknown>> {
    // Only image paths need the (asynchronous) file reads: the usual request is built in one go.
    if (hasImagePaths(body)) return inlineImages(body, this.ctx.datasetRoot).then((inlined) => this.fields(inlined, body, stream));
    return this.fields(body, body, stream);
  }

  private fields(inlined: ChatRequest, body: ChatRequest, stream: boolean): Record<string, unknown> {
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

  async complete(body: ChatRequest, cancel: CallCancel): Promise<Completion> {
    const upstream = this.ready();
    const text = await upstream.complete('/chat/completions', await this.payload(body, false), cancel);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new GatewayError('VHB_E_GATEWAY_UPSTREAM', `the engine of model "${this.name}" answered with a body that is not JSON`, {
        hint: 'check that the engine URL points at an OpenAI-compatible API (…/v1)',
        cause: error,
      });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new GatewayError('VHB_E_GATEWAY_UPSTREAM', `the engine of model "${this.name}" answered with JSON that is not an object`, {
        hint: 'check that the engine URL points at an OpenAI-compatible API (…/v1)',
      });
    }
    return { json: json as Record<string, unknown>, text };
  }

  async stream(body: ChatRequest, cancel: CallCancel): Promise<AsyncIterable<string>> {
    const upstream = this.ready();
    return upstream.events('/chat/completions', await this.payload(body, true), cancel);
  }
}
