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
 * Reads a streamed chat completion, noting when the first piece of content arrived.
 * `now` is the clock the caller started the request on. Tolerates a missing `[DONE]`.
 */
export async function readCompletionStream(body: AsyncIterable<Uint8Array | string>, url: string, now: () => number): Promise<Reply> {
  const parts: string[] = [];
  let usage: Usage = { promptTokens: null, completionTokens: null };
  let ttftMs: number | null = null;
  let sawChoice = false;
  let done = false;
  for await (const data of sseData(body)) {
    // Read on to the end after [DONE] rather than cut the connection, so it can be reused.
    if (done) continue;
    if (data.trim() === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = parseJson(data, 'stream chunk', url);
    if (!isObject(chunk)) throw adapterError('VHB_E_ADAPTER_REPLY', `stream chunk from ${url} is not a JSON object: ${snippet(data, 120)}`);
    if (chunk.error !== undefined) throw serverError(chunk, url);
    if (chunk.usage !== undefined && chunk.usage !== null) usage = usageOf(chunk.usage);
    if (chunk.choices === undefined) continue;
    if (!Array.isArray(chunk.choices))
      throw adapterError('VHB_E_ADAPTER_REPLY', `stream chunk from ${url} has choices that are not a list`);
    const first = chunk.choices[0];
    if (!isObject(first)) continue;
    sawChoice = true;
    const text = isObject(first.delta) ? contentText(first.delta.content, 'choices[0].delta.content', url) : '';
    if (text) {
      if (ttftMs === null) ttftMs = now();
      parts.push(text);
    }
  }
  if (!sawChoice) throw adapterError('VHB_E_ADAPTER_REPLY', `stream from ${url} ended without any choices`, 'see the server logs');
  return { text: parts.join(''), usage, ttftMs };
}
