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

/** Stands for the user message's content while the rest of the body is serialised once. */
const CONTENT = '\u0000vhb:content\u0000';
const CONTENT_JSON = JSON.stringify(CONTENT);

/** JSON of the user message's content, exactly as `JSON.stringify` writes the parts {@link buildChatBody} makes. */
function contentJson(prompt: string, imageUrl: string | undefined): string {
  const text = `{"type":"text","text":${JSON.stringify(prompt)}}`;
  return imageUrl ? `[${text},{"type":"image_url","image_url":{"url":${JSON.stringify(imageUrl)}}}]` : `[${text}]`;
}

/**
 * The text of {@link buildChatBody}'s body, serialised per request only where requests differ: the
 * rest (model, settings, extra fields, system prompt) is serialised once and reused while the
 * requests share the same `settings` object and system prompt, as the items of a run do.
 */
export class ChatBodyText {
  readonly #model: string;
  readonly #options: BodyOptions;
  #settings: GenerationRequest['settings'] | undefined;
  #system: string | undefined;
  /** The body before and after the content; undefined when the marker cannot be placed. */
  #around: [string, string] | undefined;

  constructor(model: string, options: BodyOptions) {
    this.#model = model;
    this.#options = options;
  }

  /** The same text as `JSON.stringify(buildChatBody(request, model, options, imageUrl))`. */
  text(request: GenerationRequest, imageUrl?: string): string {
    if (request.settings !== this.#settings || request.system !== this.#system || this.#settings === undefined) this.#prepare(request);
    const around = this.#around;
    if (!around) return JSON.stringify(buildChatBody(request, this.#model, this.#options, imageUrl));
    return around[0] + contentJson(request.prompt, imageUrl) + around[1];
  }

  #prepare(request: GenerationRequest): void {
    this.#settings = request.settings;
    this.#system = request.system;
    const body = buildChatBody({ ...request, prompt: '' }, this.#model, this.#options);
    const messages = body.messages as { content: unknown }[];
    (messages[messages.length - 1] as { content: unknown }).content = CONTENT;
    const parts = JSON.stringify(body).split(CONTENT_JSON);
    // The marker twice (an extra field holding it) would be ambiguous: serialise whole bodies then.
    this.#around = parts.length === 2 ? (parts as [string, string]) : undefined;
  }
}
