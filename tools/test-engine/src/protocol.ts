import type { ChatMessage, ChatRequestBody } from './types.js';

/** Prompt tokens counted for each image part. */
export const IMAGE_TOKENS = 85;

const words = /\S+/g;
const pieces = /\s*\S+/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of one message: a string content, or its `text` parts joined by `\n`. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text: string | undefined;
  for (const part of content) {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
      text = text === undefined ? part.text : `${text}\n${part.text}`;
    }
  }
  return text ?? '';
}

/** The text of the last `user` message ('' when there is none). */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return messageText(message);
  }
  return '';
}

/** Whitespace-separated words of every text part of every message, plus IMAGE_TOKENS per image part. */
export function countPromptTokens(messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    const { content } = message;
    if (typeof content === 'string') {
      tokens += content.match(words)?.length ?? 0;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (!isRecord(part)) continue;
        if (part.type === 'text' && typeof part.text === 'string') tokens += part.text.match(words)?.length ?? 0;
        else if (part.type === 'image_url') tokens += IMAGE_TOKENS;
      }
    }
  }
  return tokens;
}

/** The default answer: `echo: <text of the last user message>`. */
export function defaultAnswer(body: ChatRequestBody): string {
  return `echo: ${lastUserText(body.messages)}`;
}

/** The default chunking: whitespace-led words, so "a b c" → ["a", " b", " c"]. */
export function defaultChunks(answer: string): string[] {
  return answer.match(pieces) ?? [];
}

/** Why a parsed body is not a chat request, or undefined when it is one. */
export function invalidChatBody(body: unknown): string | undefined {
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' is a required property: a non-empty array of messages.";
  const bad = messages.findIndex((message) => !isRecord(message));
  if (bad >= 0) return `messages[${bad}] must be an object with 'role' and 'content'.`;
  return undefined;
}

/** An OpenAI-style error body. */
export function errorJson(message: string, type: string, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function completionJson(id: string, created: number, model: string, content: string, usage: Usage): string {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage,
  });
}

/** One `chat.completion.chunk` as an SSE event. */
export function chunkEvent(
  id: string,
  created: number,
  model: string,
  delta: Record<string, string>,
  finishReason: 'stop' | null,
  withUsage: boolean,
): string {
  const chunk: Record<string, unknown> = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  if (withUsage) chunk.usage = null;
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The final usage chunk (empty choices), sent when `stream_options.include_usage` is true. */
export function usageEvent(id: string, created: number, model: string, usage: Usage): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`;
}

export const DONE_EVENT = 'data: [DONE]\n\n';
