import { adapterError, snippet } from './errors.js';
import { sseData } from './sse.js';

/** Token counts as the server reports them; null where it reports none. */
export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
}

/** What a reply boils down to; ttftMs is null when the answer did not arrive as a stream. */
export interface Reply {
  text: string;
  usage: Usage;
  ttftMs: number | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function usageOf(value: unknown): Usage {
  return isObject(value)
    ? { promptTokens: count(value.prompt_tokens), completionTokens: count(value.completion_tokens) }
    : { promptTokens: null, completionTokens: null };
}

/** Message content is a string, or (some servers) a list of text parts; null means the model said nothing. */
function contentText(content: unknown, where: string, url: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  throw adapterError('VHB_E_ADAPTER_REPLY', `reply from ${url} has a ${typeof content} in ${where}, expected text`);
}

function parseJson(text: string, what: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw adapterError(
      'VHB_E_ADAPTER_REPLY',
      `${what} from ${url} is not JSON: ${snippet(text, 120)}`,
      'check that the endpoint is an OpenAI-compatible /v1 base URL',
      cause,
    );
  }
}

function serverError(json: Json, url: string) {
  const error = json.error;
  const message = isObject(error) && typeof error.message === 'string' ? error.message : JSON.stringify(error);
  return adapterError('VHB_E_ADAPTER_REPLY', `${url} reported an error inside a 2xx reply: ${snippet(message)}`, 'see the server logs');
}

/** Reads a non-streamed chat completion. */
export function parseCompletion(text: string, url: string): Reply {
  const json = parseJson(text, 'reply', url);
  if (!isObject(json)) throw adapterError('VHB_E_ADAPTER_REPLY', `reply from ${url} is not a JSON object: ${snippet(text, 120)}`);
  if (json.error !== undefined && json.choices === undefined) throw serverError(json, url);
  const choices = json.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    throw adapterError('VHB_E_ADAPTER_REPLY', `reply from ${url} has no choices: ${snippet(text, 120)}`);
  }
  const first = choices[0];
  if (!isObject(first) || !isObject(first.message)) {
    throw adapterError('VHB_E_ADAPTER_REPLY', `reply from ${url} has no choices[0].message: ${snippet(text, 120)}`);
  }
  return { text: contentText(first.message.content, 'choices[0].message.content', url), usage: usageOf(json.usage), ttftMs: null };
}

/**
 * Reads a streamed chat completion one SSE `data` at a time, noting when the first piece of
 * content arrived: `now()` is read as the chunk is parsed, so a caller that pushes chunks as the
 * socket delivers them measures time to first token without waiting on the event loop.
 */
export class CompletionStream {
  readonly #url: string;
  readonly #now: () => number;
  readonly #parts: string[] = [];
  #usage: Usage = { promptTokens: null, completionTokens: null };
  #ttftMs: number | null = null;
  #sawChoice = false;
  #done = false;

  constructor(url: string, now: () => number) {
    this.#url = url;
    this.#now = now;
  }

  /** One event's data; throws VHB_E_ADAPTER_REPLY on a malformed chunk or an error the server streamed. */
  data(data: string): void {
    // Read on to the end after [DONE] rather than cut the connection, so it can be reused.
    if (this.#done) return;
    if (data.trim() === '[DONE]') {
      this.#done = true;
      return;
    }
    const url = this.#url;
    const chunk = parseJson(data, 'stream chunk', url);
    if (!isObject(chunk)) throw adapterError('VHB_E_ADAPTER_REPLY', `stream chunk from ${url} is not a JSON object: ${snippet(data, 120)}`);
    if (chunk.error !== undefined) throw serverError(chunk, url);
    if (chunk.usage !== undefined && chunk.usage !== null) this.#usage = usageOf(chunk.usage);
    if (chunk.choices === undefined) return;
    if (!Array.isArray(chunk.choices))
      throw adapterError('VHB_E_ADAPTER_REPLY', `stream chunk from ${url} has choices that are not a list`);
    const first = chunk.choices[0];
    if (!isObject(first)) return;
    this.#sawChoice = true;
    const text = isObject(first.delta) ? contentText(first.delta.content, 'choices[0].delta.content', url) : '';
    if (text) {
      if (this.#ttftMs === null) this.#ttftMs = this.#now();
      this.#parts.push(text);
    }
  }

  /** The reply once the stream ended (a missing `[DONE]` is tolerated); throws when no choice came. */
  finish(): Reply {
    if (!this.#sawChoice)
      throw adapterError('VHB_E_ADAPTER_REPLY', `stream from ${this.#url} ended without any choices`, 'see the server logs');
    return { text: this.#parts.join(''), usage: this.#usage, ttftMs: this.#ttftMs };
  }
}

/**
 * Reads a streamed chat completion, noting when the first piece of content arrived.
 * `now` is the clock the caller started the request on. Tolerates a missing `[DONE]`.
 */
export async function readCompletionStream(body: AsyncIterable<Uint8Array | string>, url: string, now: () => number): Promise<Reply> {
  const stream = new CompletionStream(url, now);
  for await (const data of sseData(body)) stream.data(data);
  return stream.finish();
}
