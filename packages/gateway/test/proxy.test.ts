import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, readSse, type Setup, setup, userMessage } from './helpers.js';

const TTFT = 150;
const DELAY = 40;

describe('proxy to an OpenAI-compatible engine', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ behaviour: { ttftMs: TTFT, tokenDelayMs: DELAY } });
  });
  afterAll(() => s.close());

  it('answers a non-streamed request with the engine completion and a vhb timing object', async () => {
    const response = await chat(s.gateway, { model: 'm', messages: userMessage('one two three') });
    expect(response.status).toBe(200);
    const body = await response.json();
    // "echo: one two three" in 4 chunks; the engine counts 3 prompt words.
    expect(body.choices[0].message.content).toBe('echo: one two three');
    expect(body.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
    expect(body.vhb).toMatchObject({
      model: 'm',
      engine: 'openai',
      ttft_ms: null,
      tpot_ms: null,
      prompt_tokens: 3,
      completion_tokens: 4,
      gpu_memory_mb: null,
    });
    // The engine waits TTFT, then 3 token delays, before a non-streamed reply.
    expect(body.vhb.latency_ms).toBeGreaterThanOrEqual(TTFT + 3 * DELAY - 5);
    // The engine got its own model id, not the gateway's name.
    const sent = s.engine.requests.at(-1)?.body as { model: string; stream: boolean };
    expect(sent).toMatchObject({ model: 'engine-model', stream: false });
  });

  it('streams chunk by chunk with TTFT and TPOT matching the engine delays', async () => {
    const started = performance.now();
    const response = await chat(s.gateway, { model: 'm', stream: true, messages: userMessage('a b c d e') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(response);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const contents = chunks.map((c) => c.choices?.[0]?.delta?.content).filter((c) => typeof c === 'string' && c.length > 0);
    expect(contents.join('')).toBe('echo: a b c d e');
    expect(contents).toHaveLength(6);
    // Passed through as they came, not buffered: the first content arrived well before the last.
    const contentTimes = events.filter((e) => e.data.includes('"content":"') && !e.data.includes('"content":""')).map((e) => e.at);
    expect(contentTimes.at(-1)! - contentTimes[0]!).toBeGreaterThanOrEqual(5 * DELAY - 10);
    expect(contentTimes[0]! - started).toBeGreaterThanOrEqual(TTFT - 5);
    // The client did not ask for usage: no usage-only chunk reaches it; the last chunk is vhb's.
    const last = chunks.at(-1);
    expect(chunks.filter((c) => Array.isArray(c.choices) && c.choices.length === 0)).toEqual([last]);
    const vhb = last.vhb;
    expect(vhb).toMatchObject({ model: 'm', engine: 'openai', prompt_tokens: 5, completion_tokens: 6, gpu_memory_mb: null });
    expect(vhb.ttft_ms).toBeGreaterThanOrEqual(TTFT - 5);
    expect(vhb.ttft_ms).toBeLessThan(TTFT + 2000);
    expect(vhb.tpot_ms).toBeGreaterThanOrEqual(DELAY - 5);
    expect(vhb.tpot_ms).toBeLessThan(DELAY + 1000);
    expect(vhb.tpot_ms).toBeCloseTo((vhb.latency_ms - vhb.ttft_ms) / 5, 1);
    // The engine was asked for usage, so token counts come from it.
    expect(s.engine.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('passes the usage chunk on when the client asks for it', async () => {
    s.engine.behaviour.ttftMs = 0;
    s.engine.behaviour.tokenDelayMs = 0;
    try {
      const response = await chat(s.gateway, {
        model: 'm',
        stream: true,
        stream_options: { include_usage: true },
        messages: userMessage('x y'),
      });
      const chunks = (await readSse(response)).slice(0, -1).map((e) => JSON.parse(e.data));
      const usage = chunks.find((c) => c.usage && c.choices.length === 0 && !c.vhb);
      expect(usage.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    } finally {
      s.engine.behaviour.ttftMs = TTFT;
      s.engine.behaviour.tokenDelayMs = DELAY;
    }
  });

  it('passes a 429 on with its Retry-After, and turns an engine 500 into a 502', async () => {
    s.engine.failNext({ status: 429, retryAfter: '3' }, { status: 500, body: 'boom' });
    const limited = await chat(s.gateway, { model: 'm', messages: userMessage('hi') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await limited.json()).error.code).toBe('VHB_E_GATEWAY_RATE_LIMITED');
    const failed = await chat(s.gateway, { model: 'm', messages: userMessage('hi') });
    expect(failed.status).toBe(502);
    const body = await failed.json();
    expect(body.error.code).toBe('VHB_E_GATEWAY_UPSTREAM');
    expect(body.error.message).toContain('answered 500');
  });

  it('refuses an unknown model (404) and a malformed body (400) without calling the engine', async () => {
    const before = s.engine.counts.total;
    const unknown = await chat(s.gateway, { model: 'nope', messages: userMessage('hi') });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('VHB_E_GATEWAY_MODEL_UNKNOWN');
    const malformed = await chat(s.gateway, { model: 'm', messages: [] });
    expect(malformed.status).toBe(400);
    const body = await malformed.json();
    expect(body.error.code).toBe('VHB_E_GATEWAY_REQUEST');
    expect(body.error.message).toContain('messages');
    expect(s.engine.counts.total).toBe(before);
  });

  it('answers 502 when the engine cannot be reached', async () => {
    const { createGateway } = await import('../src/index.js');
    const { logCollector, KEY, auth } = await import('./helpers.js');
    const gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      engines: { gone: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
      logDestination: logCollector(),
      nvidiaSmi: null,
    });
    try {
      const response = await chat(gateway, { model: 'gone', messages: userMessage('hi') }, auth);
      expect(response.status).toBe(502);
      expect((await response.json()).error.message).toContain('cannot be reached');
    } finally {
      await gateway.close();
    }
  });
});
