import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterContext, AdapterSession } from '../src/index.js';
import {
  buildChatBody,
  endpointOf,
  endpointProblem,
  openaiErrorCodes,
  openChatSession,
  parseEndpoint,
  requireEndpoint,
  timingOf,
} from '../src/openai/index.js';

const KEY = 'sk-sdk-test-0123456789';
const ctx = (endpoint: string | undefined, env: Record<string, string | undefined> = {}): AdapterContext => ({
  logger: { debug() {}, info() {}, warn() {} },
  env,
  model: { name: 'm', endpoint },
});

describe('@vhb/sdk/openai entry', () => {
  it('the main entry never reaches undici or the openai folder', () => {
    // Walk the relative imports from src/index.ts; plugins that do not use the client must not load undici.
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        expect(spec).not.toBe('undici');
        if (spec?.startsWith('.')) walk(resolve(dirname(file), (spec as string).replace(/\.js$/, '.ts')));
      }
    };
    walk(join(import.meta.dirname, '../src/index.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].filter((file) => file.includes('/openai/'))).toEqual([]);
    // The subpath is declared, and undici is a dependency of the package.
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
    expect(pkg.exports['./openai']).toEqual({ types: './dist/openai/index.d.ts', default: './dist/openai/index.js' });
    expect(pkg.dependencies.undici).toBeDefined();
  });

  it('lists its codes, all VHB_E_ADAPTER_*', () => {
    expect(Object.keys(openaiErrorCodes).sort()).toEqual([
      'VHB_E_ADAPTER_ABORTED',
      'VHB_E_ADAPTER_CONNECT',
      'VHB_E_ADAPTER_ENDPOINT',
      'VHB_E_ADAPTER_HTTP',
      'VHB_E_ADAPTER_IMAGE',
      'VHB_E_ADAPTER_REPLY',
      'VHB_E_ADAPTER_TIMEOUT',
    ]);
  });
});

describe('endpoints', () => {
  it('parses a base URL into origin, path and URL, keeping a query and dropping trailing slashes', () => {
    expect(parseEndpoint('http://127.0.0.1:8000/v1/')).toEqual({
      origin: 'http://127.0.0.1:8000',
      path: '/v1/chat/completions',
      url: 'http://127.0.0.1:8000/v1/chat/completions',
    });
    expect(parseEndpoint('https://x.example/openai/v1?api-version=2024-10-21')?.path).toBe(
      '/openai/v1/chat/completions?api-version=2024-10-21',
    );
    expect(parseEndpoint('ftp://x/v1')).toBeUndefined();
    expect(parseEndpoint('127.0.0.1:8000')).toBeUndefined();
  });

  it('takes the model entry first, then the named variable; empty counts as unset', () => {
    expect(endpointOf(ctx('http://a/v1', { E: 'http://b/v1' }), 'E')).toBe('http://a/v1');
    expect(endpointOf(ctx('', { E: 'http://b/v1' }), 'E')).toBe('http://b/v1');
    expect(endpointOf(ctx(undefined, { E: '' }), 'E')).toBeUndefined();
  });

  it('says why an adapter cannot run, naming the variable', () => {
    expect(endpointProblem(ctx(undefined), 'MY_URL')).toBe("no endpoint — set MY_URL or `endpoint:` in the model's registry file");
    expect(endpointProblem(ctx('localhost:8000'), 'MY_URL')).toMatch(/endpoint "localhost:8000" is not an http\(s\) URL/);
    expect(endpointProblem(ctx('http://localhost:8000/v1'), 'MY_URL')).toBeUndefined();
    expect(() => requireEndpoint(ctx(undefined), 'MY_URL')).toThrow(expect.objectContaining({ code: 'VHB_E_ADAPTER_ENDPOINT' }));
    expect(requireEndpoint(ctx(undefined, { MY_URL: 'http://h:1/v1' }), 'MY_URL').url).toBe('http://h:1/v1/chat/completions');
  });
});

describe('buildChatBody and timingOf', () => {
  it('puts extra fields first, the run settings over them, and model, messages and stream last', () => {
    const body = buildChatBody(
      { id: 'i', prompt: 'Read.', system: 'Sys', settings: { maxTokens: 5, seed: 1 } },
      'org/m',
      { stream: false, extraBody: { top_k: 3, max_tokens: 99, model: 'x', stream_options: { include_usage: true } } },
      'data:image/png;base64,AA==',
    );
    expect(body).toEqual({
      top_k: 3,
      max_tokens: 5,
      seed: 1,
      model: 'org/m',
      messages: [
        { role: 'system', content: 'Sys' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } },
          ],
        },
      ],
      stream: false,
    });
  });

  it('spreads the time after the first token over the tokens after the first', () => {
    // 1000 ms in all, first token at 100 ms, 10 tokens: (1000 - 100) / 9 = 100 ms per token.
    const reply = { text: '', ttftMs: 100, usage: { promptTokens: 4, completionTokens: 10 } };
    expect(timingOf(1000, reply)).toEqual({
      latencyMs: 1000,
      ttftMs: 100,
      tpotMs: 100,
      promptTokens: 4,
      completionTokens: 10,
      peakMemoryMb: null,
    });
    expect(timingOf(1000, { ...reply, ttftMs: null }).tpotMs).toBeNull();
  });
});

describe('openChatSession over real HTTP', () => {
  let server: Server;
  let base: string;
  let answer: (res: import('node:http').ServerResponse) => void;
  const seen: { headers: IncomingHttpHeaders; body: any }[] = [];
  let session: AdapterSession | undefined;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let text = '';
      for await (const part of req) text += part;
      seen.push({ headers: req.headers, body: JSON.parse(text) });
      answer(res);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    seen.length = 0;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const open = (extra: Partial<Parameters<typeof openChatSession>[0]> = {}) =>
    openChatSession({
      endpoint: parseEndpoint(base) as NonNullable<ReturnType<typeof parseEndpoint>>,
      model: 'org/m',
      apiKey: KEY,
      timeoutMs: 5000,
      stream: true,
      concurrency: 2,
      ...extra,
    });

  it('streams the answer, sends the key and the extra fields, and reads usage', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n');
      res.write('data: {"choices":[{"delta":{"content":"4"}}]}\n\n');
      res.write('data: {"choices":[{"delta":{"content":"2"}}]}\n\n');
      res.end('data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2}}\n\ndata: [DONE]\n\n');
    };
    session = open({ extraBody: { top_k: 1 } });
    const result = await session.generate({ id: 'a', prompt: 'Sum?', settings: {} });
    expect(result.text).toBe('42');
    expect(result.timing.promptTokens).toBe(9);
    expect(result.timing.completionTokens).toBe(2);
    expect(result.timing.ttftMs).not.toBeNull();
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.body).toMatchObject({ model: 'org/m', top_k: 1, stream: true, stream_options: { include_usage: true } });
  });

  it('a 429 with Retry-After carries retry advice; a 400 carries none; the key is masked', async () => {
    answer = (res) => res.writeHead(429, { 'retry-after': '2' }).end(`slow down, ${KEY}`);
    session = open();
    const limited = await session.generate({ id: 'a', prompt: 'x', settings: {} }).catch((error) => error);
    expect(limited).toMatchObject({ code: 'VHB_E_ADAPTER_HTTP', retry: { retryable: true, afterMs: 2000 } });
    expect(limited.message).toContain('slow down, ***');
    expect(limited.message).not.toContain(KEY);
    answer = (res) => res.writeHead(400).end('bad');
    const refused = await session.generate({ id: 'a', prompt: 'x', settings: {} }).catch((error) => error);
    expect(refused.code).toBe('VHB_E_ADAPTER_HTTP');
    expect(refused.retry).toBeUndefined();
  });
});
