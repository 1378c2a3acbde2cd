import type { EngineConfig } from '../config.js';
import { AdapterEngine } from './adapter.js';
import { CommandEngine } from './command.js';
import type { Engine, EngineContext } from './engine.js';
import { OpenAIEngine } from './openai.js';

export { CallCancel } from './cancel.js';
export type { Completion, Engine, EngineContext, EngineKind, EngineState } from './engine.js';

/** The engine for one model's configuration. */
export function createEngine(ctx: EngineContext, config: EngineConfig): Engine {
  switch (config.kind) {
    case 'openai':
      return new OpenAIEngine(ctx, config);
    case 'command':
      return new CommandEngine(ctx, config);
    case 'adapter':
      return new AdapterEngine(ctx, config);
  }
}
