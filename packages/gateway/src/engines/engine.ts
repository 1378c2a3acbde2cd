import type { FastifyBaseLogger } from 'fastify';
import type { ChatRequest } from '../chat-schema.js';
import type { Masker } from '../mask.js';
import type { CallCancel } from './cancel.js';

export type EngineKind = 'openai' | 'command' | 'adapter';
export type EngineState = 'unloaded' | 'loading' | 'loaded' | 'failed';

/** What every engine gets from the gateway. */
export interface EngineContext {
  /** The model name clients send. */
  name: string;
  env: Record<string, string | undefined>;
  datasetRoot: string | undefined;
  log: FastifyBaseLogger;
  /** Secrets the engine reads (keys, env values) are added here, so logs and errors mask them. */
  masker: Masker;
}

/** A non-streamed answer: the `chat.completion` object, and the engine's own text of it when there is one (passed on as it is). */
export interface Completion {
  json: Record<string, unknown>;
  text?: string;
}

/** One model's engine: loads, unloads, and answers chat completions as OpenAI does. */
export interface Engine {
  readonly name: string;
  readonly kind: EngineKind;
  readonly state: EngineState;
  /** Why the last load failed, when state is "failed" (masked). */
  readonly lastError: string | undefined;
  /** Whether `response_format: json_schema` is passed to the engine (it is checked on the way back either way). */
  readonly acceptsJsonSchema: boolean;
  /** Starts the engine (or opens its session) and waits until it answers; a second call while loading waits on the first. */
  load(): Promise<void>;
  /** Stops the engine and frees its connections; a no-op when unloaded. */
  unload(): Promise<void>;
  /** A non-streamed completion: the engine's `chat.completion` JSON (and its text, when it came over HTTP). */
  complete(body: ChatRequest, cancel: CallCancel): Promise<Completion>;
  /** A streamed completion: the `data` of each SSE event, `[DONE]` included, once the engine has accepted the request. */
  stream(body: ChatRequest, cancel: CallCancel): Promise<AsyncIterable<string>>;
}

/** Load-state bookkeeping shared by the engines: one load at a time, state and last error kept. */
export abstract class BaseEngine {
  state: EngineState = 'unloaded';
  lastError: string | undefined;
  private loading: Promise<void> | undefined;

  constructor(protected readonly ctx: EngineContext) {}

  get name(): string {
    return this.ctx.name;
  }

  load(): Promise<void> {
    if (this.state === 'loaded') return Promise.resolve();
    this.loading ??= (async () => {
      this.state = 'loading';
      try {
        await this.start();
        this.state = 'loaded';
        this.lastError = undefined;
      } catch (error) {
        this.state = 'failed';
        this.lastError = this.ctx.masker.mask((error as Error).message);
        await this.stop().catch(() => {});
        throw error;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  async unload(): Promise<void> {
    if (this.loading) await this.loading.catch(() => {});
    if (this.state === 'unloaded') return;
    await this.stop();
    this.state = 'unloaded';
  }

  protected abstract start(): Promise<void>;
  protected abstract stop(): Promise<void>;
}
