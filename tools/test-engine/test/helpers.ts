import { request } from 'undici';
import { expect } from 'vitest';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** POSTs `body` (an object, sent as JSON, or a raw string) to `<url>/v1/chat/completions`. */
export async function chat(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(url, '/v1/chat/completions', 'POST', typeof body === 'string' ? body : JSON.stringify(body), headers);
}

export async function send(
  url: string,
  path: string,
  method: 'GET' | 'POST',
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await request(`${url}${path}`, {
    method,
    body,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** The `data` payloads of an SSE stream. */
export function events(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return block.slice('data: '.length);
    });
}

export function userMessage(text: string) {
  return { messages: [{ role: 'user', content: text }] };
}
