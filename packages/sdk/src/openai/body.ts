import type { GenerationRequest } from '../data.js';

type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
type Message = { role: 'system'; content: string } | { role: 'user'; content: Part[] };

/** How the body is built beyond the request itself. */
export interface BodyOptions {
  /** Ask for an SSE stream with usage in the last chunk. */
  stream: boolean;
  /** Fields added to every body (engine-specific sampling options and the like). */
  extraBody?: Record<string, unknown>;
}

/**
 * The chat completions request body. extraBody goes first so the run's settings override it;
 * model, messages and stream are always the client's, since the reply parser depends on them.
 */
export function buildChatBody(request: GenerationRequest, model: string, options: BodyOptions, imageUrl?: string): Record<string, unknown> {
  const content: Part[] = [{ type: 'text', text: request.prompt }];
  if (imageUrl) content.push({ type: 'image_url', image_url: { url: imageUrl } });
  const messages: Message[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  messages.push({ role: 'user', content });

  const { maxTokens, temperature, topP, seed } = request.settings;
  const body: Record<string, unknown> = { ...options.extraBody, model, messages };
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  if (seed !== undefined) body.seed = seed;
  if (options.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  } else {
    body.stream = false;
    delete body.stream_options;
  }
  return body;
}
