import { createServer } from 'node:net';
import type { AdapterSession } from '@vhb/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../src/index.js';
import { KEY, openSession, rejection, request } from './helpers/context.js';
import { type OpenAIServer, startOpenAIServer } from './helpers/openai-server.js';

let server: OpenAIServer;
let session: AdapterSession | undefined;

beforeAll(async () => {
  server = await startOpenAIServer({ apiKey: KEY });
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  server.requests.length = 0;
  server.script = {};
});
afterAll(() => server.close());

async function failWith(script: OpenAIServer['script'], options: Record<string, unknown> = {}) {
  server.script = script;
  session = await openSession(server.baseUrl, options);
  return rejection(session.generate(request()));
}

describe('openai generate() errors', () => {
  it('every code it throws is listed in errorCodes', () => {
    expect(Object.keys(errorCodes).every((code) => /^VHB_E_ADAPTER_[A-Z]+$/.test(code))).toBe(true);
  });

  it('HTTP 500: names the status, the URL and a short body', async () => {
    const error = await failWith({ status: 500, body: `{"error":{"message":"CUDA out of memory ${'x'.repeat(500)}"}}` });
    expect(error.code).toBe('VHB_E_ADAPTER_HTTP');
    expect(error.message).toMatch(new RegExp(`^HTTP 500 from ${server.baseUrl}/chat/completions: \\{"error".*CUDA out of memory`));
    // The body is cut to 200 characters plus an ellipsis.
    expect(error.message.length).toBeLessThan(`HTTP 500 from ${server.baseUrl}/chat/completions: `.length + 202);
    expect(error.hint).toMatch(/server failed/);
  });

  it('HTTP 429: hints at lowering concurrency', async () => {
    const error = await failWith({ status: 429, body: '{"error":{"message":"Rate limit reached"}}' });
    expect(error.code).toBe('VHB_E_ADAPTER_HTTP');
    expect(error.message).toContain('HTTP 429');
    expect(error.message).toContain('Rate limit reached');
    expect(error.hint).toMatch(/concurrency/);
  });

  it('HTTP 404 from a base URL without /v1: hints at the endpoint', async () => {
    session = await openSession(server.baseUrl.replace(/\/v1$/, ''));
    const error = await rejection(session.generate(request()));
    expect(error.code).toBe('VHB_E_ADAPTER_HTTP');
    expect(error.message).toContain('HTTP 404');
    expect(error.hint).toMatch(/\/v1/);
  });

  it('a reply that is not JSON', async () => {
    const error = await failWith({ raw: '<html>Bad gateway</html>', contentType: 'text/html' }, { stream: false });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toMatch(/is not JSON: <html>Bad gateway<\/html>/);
  });

  it('a reply without choices names what is missing', async () => {
    const error = await failWith({ raw: '{"id":"x","object":"chat.completion"}', contentType: 'application/json' }, { stream: false });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toMatch(/has no choices/);
  });

  it('a reply with an empty choices list names what is missing', async () => {
    const error = await failWith({ raw: '{"choices":[]}', contentType: 'application/json' }, { stream: false });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toMatch(/has no choices/);
  });

  it('a reply whose first choice has no message', async () => {
    const error = await failWith({ raw: '{"choices":[{"index":0}]}', contentType: 'application/json' }, { stream: false });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toContain('choices[0].message');
  });

  it('a stream chunk that is not JSON', async () => {
    const error = await failWith({ raw: 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {oops\n\ndata: [DONE]\n\n' });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toMatch(/stream chunk from .* is not JSON: \{oops/);
  });

  it('a stream without any choices', async () => {
    const error = await failWith({ raw: 'data: {"id":"x"}\n\ndata: [DONE]\n\n' });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toMatch(/ended without any choices/);
  });

  it('an error the server reports inside the stream', async () => {
    const error = await failWith({ raw: 'data: {"error":{"message":"engine died"}}\n\n' });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toContain('engine died');
  });

  it('a server that does not answer within timeout_ms', async () => {
    const started = performance.now();
    const error = await failWith({ hang: true }, { timeout_ms: 200 });
    expect(error.code).toBe('VHB_E_ADAPTER_TIMEOUT');
    expect(error.message).toContain('item-1');
    expect(error.message).toContain('200 ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a stream that stalls past timeout_ms', async () => {
    const error = await failWith({ tokens: ['a', 'b'], tokenDelayMs: 2000 }, { timeout_ms: 300 });
    expect(error.code).toBe('VHB_E_ADAPTER_TIMEOUT');
  });

  it('the run interrupting a request', async () => {
    server.script = { hang: true };
    session = await openSession(server.baseUrl);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(session.generate(request(), controller.signal));
    expect(error.code).toBe('VHB_E_ADAPTER_ABORTED');
  });

  it('a server that is not there', async () => {
    // Take a free port, then close it so nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    session = await openSession(`http://127.0.0.1:${port}/v1`);
    const error = await rejection(session.generate(request()));
    expect(error.code).toBe('VHB_E_ADAPTER_CONNECT');
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1/chat/completions`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('an image that cannot be read, or whose type is unknown', async () => {
    session = await openSession(server.baseUrl);
    const missing = await rejection(session.generate(request({ image: '/nonexistent/page.png' })));
    expect(missing.code).toBe('VHB_E_ADAPTER_IMAGE');
    expect(missing.message).toContain('/nonexistent/page.png');
    const unknown = await rejection(session.generate(request({ image: '/data/page.pdf' })));
    expect(unknown.code).toBe('VHB_E_ADAPTER_IMAGE');
    expect(unknown.message).toContain('".pdf"');
    expect(server.requests).toHaveLength(0);
  });
});

describe('API key masking', () => {
  const leaks = (error: Error & { hint?: string }, key: string) =>
    [error.message, error.hint ?? '', String(error.stack), String((error.cause as Error | undefined)?.message ?? '')].some((text) =>
      text.includes(key),
    );

  it('a 401 that echoes the wrong key does not leak it', async () => {
    const wrong = 'sk-wrong-key-ABCDEFGHIJKLMNOP';
    session = await openSession(server.baseUrl, {}, { OPENAI_API_KEY: wrong });
    const error = await rejection(session.generate(request()));
    expect(error.code).toBe('VHB_E_ADAPTER_HTTP');
    expect(error.message).toContain('HTTP 401');
    // The server said "Incorrect API key provided: <key>."; the key is replaced by ***.
    expect(error.message).toContain('Incorrect API key provided: ***.');
    expect(leaks(error, wrong)).toBe(false);
    expect(error.hint).toMatch(/api_key_env/);
  });

  it('a malformed reply that contains the key does not leak it', async () => {
    const error = await failWith({ raw: `not json, your key is ${KEY}`, contentType: 'text/plain' }, { stream: false });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(error.message).toContain('your key is ***');
    expect(leaks(error, KEY)).toBe(false);
  });

  it('a stream chunk that contains the key does not leak it', async () => {
    const error = await failWith({ raw: `data: {${KEY}\n\n` });
    expect(error.code).toBe('VHB_E_ADAPTER_REPLY');
    expect(leaks(error, KEY)).toBe(false);
  });

  it('an error reported in the stream that contains the key does not leak it', async () => {
    const error = await failWith({ raw: `data: {"error":{"message":"bad key ${KEY}"}}\n\n` });
    expect(leaks(error, KEY)).toBe(false);
  });
});
