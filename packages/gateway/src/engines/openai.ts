import type { OpenAIEngineConfig } from '../config.js';
import type { EngineContext } from './engine.js';
import { HttpEngine } from './http-engine.js';

/** A remote OpenAI-compatible server that runs on its own: load opens a connection pool, unload closes it. */
export class OpenAIEngine extends HttpEngine {
  readonly kind = 'openai' as const;

  constructor(
    ctx: EngineContext,
    private readonly config: OpenAIEngineConfig,
  ) {
    super(ctx, config);
  }

  protected async start(): Promise<void> {
    this.connect(this.config.baseUrl);
  }

  protected stop(): Promise<void> {
    return this.disconnect();
  }
}
