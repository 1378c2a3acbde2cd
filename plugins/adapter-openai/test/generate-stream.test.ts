import { readFileSync } from 'node:fs';
import type { AdapterSession } from '@vhb/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, KEY, openSession, request } from './helpers/context.js';
import { type OpenAIServer, startOpenAIServer } from './helpers/openai-server.js';

const png = readFileSync(IMAGE);
let server: OpenAIServer;
let session: AdapterSession | undefined;

beforeAll(async () => {
  server = await startOpenAIServer({ apiKey: KEY, expectedImage: png });
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  server.requests.length = 0;
  server.script = {};
});
afterAll(() => server.close());

describe('openai generate() over a stream', () => {
  it('sends the chat request with the image as a data URL, and joins the streamed text', async () => {
    server.script = { tokens: ['Hel', 'lo', ' world'] };
    session = await openSession(server.baseUrl);
    const settings = { maxTokens: 32, temperature: 0, topP: 0.9, seed: 7 };
    const result = await session.generate(request({ system: 'You read documents.', settings }));
    expect(result.text).toBe('Hello world');

    const [sent] = server.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toEqual({
      model: 'org/fake-vl',
      messages: [
        { role: 'system', content: 'You read documents.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read the page.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
          ],
        },
      ],
      max_tokens: 32,
      temperature: 0,
      top_p: 0.9,
      seed: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('measures sane timings: TTFT at least the server delay, TPOT from the usage count', async () => {
    server.script = { tokens: ['a', 'b', 'c'], firstDelayMs: 120, tokenDelayMs: 40 };
    session = await openSession(server.baseUrl);
    const { timing } = await session.generate(request());
    expect(timing.ttftMs).not.toBeNull();
    const ttft = timing.ttftMs as number;
    // The server waits 120 ms after reading the request before the first content chunk.
    expect(ttft).toBeGreaterThanOrEqual(120);
    // Two more chunks, at least 40 ms apart, follow the first: latency - ttft >= 80, less the few ms
    // the first chunk's own timestamp may come late when the machine is loaded.
    expect(timing.latencyMs).toBeGreaterThanOrEqual(ttft + 75);
    expect(timing.promptTokens).toBe(17);
    expect(timing.completionTokens).toBe(3);
    // tpot = (latency - ttft) / (completion tokens - 1) = (latency - ttft) / 2, about 40 ms.
    expect(timing.tpotMs).toBeCloseTo((timing.latencyMs - ttft) / 2, 9);
    expect(timing.tpotMs).toBeGreaterThanOrEqual(37.5);
    expect(timing.peakMemoryMb).toBeNull();
  });

  it('reports null token counts and TPOT when the server sends no usage', async () => {
    server.script = { tokens: ['x', 'y'], usage: false };
    session = await openSession(server.baseUrl);
    const { text, timing } = await session.generate(request());
    expect(text).toBe('xy');
    expect(timing.promptTokens).toBeNull();
    expect(timing.completionTokens).toBeNull();
    expect(timing.tpotMs).toBeNull();
    expect(timing.ttftMs).not.toBeNull();
  });

  it('leaves TPOT null for a one-token answer', async () => {
    server.script = { tokens: ['Z'] };
    session = await openSession(server.baseUrl);
    const { timing } = await session.generate(request());
    expect(timing.completionTokens).toBe(1);
    expect(timing.tpotMs).toBeNull();
  });

  it('sends a text-only message for a request without an image, and no key when none is set', async () => {
    const open = await startOpenAIServer();
    try {
      session = await openSession(open.baseUrl, {}, {});
      await session.generate(request({ image: undefined }));
      expect(open.requests[0]?.headers.authorization).toBeUndefined();
      expect(open.requests[0]?.body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Read the page.' }] }]);
    } finally {
      await session?.close();
      session = undefined;
      await open.close();
    }
  });

  it('reads the key from the variable named by api_key_env', async () => {
    session = await openSession(server.baseUrl, { api_key_env: 'MY_KEY' }, { MY_KEY: KEY, OPENAI_API_KEY: 'wrong' });
    expect((await session.generate(request())).text).toBe('ok');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('merges extra_body into the request; the run settings and stream fields win', async () => {
    session = await openSession(server.baseUrl, {
      extra_body: { top_k: 5, max_tokens: 999, temperature: 1, stream: false, model: 'other' },
    });
    await session.generate(request({ settings: { temperature: 0.2 } }));
    const body = server.requests[0]?.body;
    // max_tokens comes from extra_body (the run set none); temperature from the run; model and stream are the adapter's.
    expect(body).toMatchObject({ top_k: 5, max_tokens: 999, temperature: 0.2, stream: true, model: 'org/fake-vl' });
  });

  it('uses the model name when the model has no modelId, and a base URL with a trailing slash', async () => {
    const { default: adapter, openaiOptions } = await import('../src/index.js');
    session = await adapter.open(openaiOptions.parse({}), {
      logger: { debug() {}, info() {}, warn() {} },
      env: { OPENAI_API_KEY: KEY },
      model: { name: 'llava', endpoint: `${server.baseUrl}/` },
    });
    await session.generate(request());
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.body.model).toBe('llava');
  });

  it('serves `concurrency` requests at once', async () => {
    server.script = { tokens: ['a'], firstDelayMs: 150 };
    session = await openSession(server.baseUrl, { concurrency: 3 });
    expect(session.concurrency).toBe(3);
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map((n) => session?.generate(request({ id: `item-${n}` }))));
    // Three 150 ms answers over three connections take about 150 ms, not 450 ms.
    expect(performance.now() - started).toBeLessThan(400);
    expect(results.map((r) => r?.text)).toEqual(['a', 'a', 'a']);
  });
});
