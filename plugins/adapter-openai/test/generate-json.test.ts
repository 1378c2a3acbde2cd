import type { AdapterSession } from '@vhb/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY, openSession, request } from './helpers/context.js';
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

describe('openai generate() with stream: false', () => {
  it('asks for a plain JSON reply and reads it', async () => {
    server.script = { tokens: ['Total', ': ', '42'], firstDelayMs: 30 };
    session = await openSession(server.baseUrl, { stream: false });
    const { text, timing } = await session.generate(request({ settings: { maxTokens: 8 } }));
    expect(text).toBe('Total: 42');
    const body = server.requests[0]?.body;
    expect(body.stream).toBe(false);
    expect(body.stream_options).toBeUndefined();
    expect(body.max_tokens).toBe(8);
    // Without a stream there is no first token to time.
    expect(timing.ttftMs).toBeNull();
    expect(timing.tpotMs).toBeNull();
    expect(timing.latencyMs).toBeGreaterThanOrEqual(30);
    expect(timing.promptTokens).toBe(17);
    expect(timing.completionTokens).toBe(3);
  });

  it('reads a JSON reply even when it asked for a stream', async () => {
    const reply = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'plain' } }],
      usage: { prompt_tokens: 3, completion_tokens: 1 },
    };
    server.script = { raw: JSON.stringify(reply), contentType: 'application/json' };
    session = await openSession(server.baseUrl);
    const { text, timing } = await session.generate(request());
    expect(text).toBe('plain');
    expect(timing.ttftMs).toBeNull();
    expect(timing.completionTokens).toBe(1);
  });

  it('reads a null content as an empty answer', async () => {
    server.script = {
      raw: JSON.stringify({ choices: [{ message: { role: 'assistant', content: null } }] }),
      contentType: 'application/json',
    };
    session = await openSession(server.baseUrl, { stream: false });
    const { text, timing } = await session.generate(request());
    expect(text).toBe('');
    expect(timing.completionTokens).toBeNull();
  });
});
