import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdapterSession, GenerationRequest } from '../src/index.js';
import { type BodyOptions, buildChatBody, ChatBodyText, openChatSession, parseEndpoint, SseParser } from '../src/openai/index.js';

describe('ChatBodyText', () => {
  const settings = { maxTokens: 16, temperature: 0 };
  const cases: [string, BodyOptions, GenerationRequest, string | undefined][] = [
    ['plain', { stream: false }, { id: 'a', prompt: 'What is "the" total?\n', settings }, undefined],
    ['streamed, system, image', { stream: true }, { id: 'b', prompt: 'Read.', system: 'Sys', settings }, 'data:image/png;base64,AA=='],
    [
      'extra fields the settings win over',
      { stream: false, extraBody: { top_k: 3, max_tokens: 99, model: 'x', messages: [], stream_options: {} } },
      { id: 'c', prompt: 'ü \u2028 \u0001', settings: {} },
      undefined,
    ],
  ];

  it.each(cases)('%s: the same text as JSON.stringify(buildChatBody(...)), request after request', (_name, options, request, image) => {
    const text = new ChatBodyText('org/m', options);
    for (const prompt of [request.prompt, 'another question', '']) {
      const each = { ...request, prompt };
      expect(text.text(each, image)).toBe(JSON.stringify(buildChatBody(each, 'org/m', options, image)));
    }
  });

  it('follows a change of settings or system prompt', () => {
    const text = new ChatBodyText('m', { stream: false });
    const first: GenerationRequest = { id: 'a', prompt: 'q', settings: { maxTokens: 1 } };
    const second: GenerationRequest = { id: 'b', prompt: 'q', system: 'S', settings: { seed: 7 } };
    for (const request of [first, second, first]) {
      expect(text.text(request)).toBe(JSON.stringify(buildChatBody(request, 'm', { stream: false })));
    }
  });

  it('serialises whole bodies when an extra field holds the marker text', () => {
    const options = { stream: false, extraBody: { note: '\u0000vhb:content\u0000' } };
    const text = new ChatBodyText('m', options);
    const request: GenerationRequest = { id: 'a', prompt: 'q', settings: {} };
    expect(text.text(request)).toBe(JSON.stringify(buildChatBody(request, 'm', options)));
  });
});

describe('SseParser', () => {
  it('hands each event over as soon as the chunk that completes it is pushed', () => {
    const seen: string[] = [];
    const parser = new SseParser((data) => seen.push(data));
    parser.push('data: one\n');
    expect(seen).toEqual([]);
    parser.push('\ndata: tw');
    expect(seen).toEqual(['one']);
    parser.push('o\r\n\r\n: comment\n\ndata: three');
    expect(seen).toEqual(['one', 'two']);
    parser.end();
    expect(seen).toEqual(['one', 'two', 'three']);
  });
});

describe('openChatSession without a free connection', () => {
  let server: Server | undefined;
  let session: AdapterSession | undefined;
  afterEach(async () => {
    await session?.close().catch(() => {});
    server?.closeAllConnections();
    server?.close();
  });

  it('a request still waiting for a connection fails at once when its signal aborts, and times out on its own clock', async () => {
    // A server that never answers: the one connection stays busy with the first request.
    let received = 0;
    server = createServer((req) => {
      received += 1;
      req.resume();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    session = openChatSession({
      endpoint: parseEndpoint(base) as NonNullable<ReturnType<typeof parseEndpoint>>,
      model: 'm',
      apiKey: undefined,
      timeoutMs: 300,
      stream: false,
      concurrency: 1,
    });
    const first = session.generate({ id: 'first', prompt: 'q', settings: {} }).catch((error) => error);
    await expect.poll(() => received).toBe(1);
    const controller = new AbortController();
    const queued = session.generate({ id: 'queued', prompt: 'q', settings: {} }, controller.signal).catch((error) => error);
    controller.abort();
    // Settled while the first request still holds the only connection.
    const raced = await Promise.race([queued, first.then(() => 'first settled first')]);
    expect(raced).toMatchObject({ code: 'VHB_E_ADAPTER_ABORTED' });
    expect(raced.message).toContain('item queued');
    expect(await first).toMatchObject({ code: 'VHB_E_ADAPTER_TIMEOUT', retry: { retryable: true } });
    expect(received).toBe(1);
  });
});
