import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../src/index.js';
import { chat, events, send, userMessage } from './helpers.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ models: ['test-model', 'other-model'] });
});
afterAll(() => engine.close());
beforeEach(() => engine.reset());

const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
const visual = {
  model: 'qwen',
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: [{ type: 'text', text: 'What is the total?' }, image] },
  ],
};

describe('startTestEngine', () => {
  it('listens on 127.0.0.1 on a free port', () => {
    expect(engine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(engine.baseUrl).toBe(`${engine.url}/v1`);
    expect(engine.url).toBe(`http://127.0.0.1:${engine.port}`);
  });
});

describe('POST /v1/chat/completions, not streamed', () => {
  it('answers a chat.completion echoing the last user message, with usage', async () => {
    const reply = await chat(engine.url, visual);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    const body = reply.json() as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'qwen',
      choices: [{ index: 0, message: { role: 'assistant', content: 'echo: What is the total?' }, finish_reason: 'stop' }],
      // 2 system words + 4 user words + 85 for the image; "echo:", " What", " is", " the", " total?"
      usage: { prompt_tokens: 91, completion_tokens: 5, total_tokens: 96 },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
  });

  it("uses the first model's name when the request names none, and behaviour.answer / chunks when set", async () => {
    engine.behaviour.answer = (body) => `${body.messages.length} message(s)`;
    engine.behaviour.chunks = (answer) => [...answer];
    const body = (await chat(engine.url, userMessage('hi'))).json();
    expect(body).toMatchObject({
      model: 'test-model',
      choices: [{ message: { content: '1 message(s)' } }],
      usage: { completion_tokens: 12 },
    });
  });

  it('answers 500 with the message when behaviour.answer throws', async () => {
    engine.behaviour.answer = () => {
      throw new Error('no answer for you');
    };
    const reply = await chat(engine.url, userMessage('hi'));
    expect(reply.status).toBe(500);
    expect(reply.json()).toMatchObject({ error: { type: 'server_error', message: expect.stringContaining('no answer for you') } });
  });
});

describe('POST /v1/chat/completions, streamed', () => {
  it('sends a role chunk, one chunk per word, a stop chunk, the usage chunk and [DONE]', async () => {
    const reply = await chat(engine.url, { ...visual, stream: true, stream_options: { include_usage: true } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
    const data = events(reply.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
    expect(chunks).toHaveLength(1 + 5 + 1 + 1);
    for (const chunk of chunks) expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'qwen', id: chunks[0]?.id });
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    expect(chunks.slice(1, 6).map((c) => c.choices[0].delta.content)).toEqual(['echo:', ' What', ' is', ' the', ' total?']);
    expect(chunks.slice(1, 6).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks[6]?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(chunks[7]).toMatchObject({ choices: [], usage: { prompt_tokens: 91, completion_tokens: 5, total_tokens: 96 } });
  });

  it('sends no usage chunk without stream_options.include_usage', async () => {
    const data = events((await chat(engine.url, { ...userMessage('a b'), stream: true })).text);
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(['', 'echo:', ' a', ' b', null]);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('streams an empty answer as role, stop and [DONE]', async () => {
    engine.behaviour.answer = () => '';
    const data = events((await chat(engine.url, { ...userMessage('x'), stream: true })).text);
    expect(data).toHaveLength(3);
    expect(JSON.parse(data[1] as string).choices[0].finish_reason).toBe('stop');
  });
});

describe('bad requests', () => {
  it('answers 400 to malformed JSON, a non-object body and missing or empty messages', async () => {
    for (const body of ['{"messages": [', '[1, 2]', '{"model": "m"}', '{"messages": []}', '{"messages": ["hi"]}', '']) {
      const reply = await chat(engine.url, body);
      expect(reply.status, body).toBe(400);
      expect(reply.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.any(String) } });
    }
    expect(engine.counts.byStatus).toEqual({ 400: 6 });
    expect(engine.counts.byPrompt.size).toBe(0);
  });

  it('answers 404 to an unknown path and 405 to a wrong method', async () => {
    expect((await send(engine.url, '/v1/completions', 'POST', '{}')).status).toBe(404);
    expect((await send(engine.url, '/', 'GET')).status).toBe(404);
    const wrong = await send(engine.url, '/v1/chat/completions', 'GET');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('ignores the query string when routing', async () => {
    expect((await chat(`${engine.url}`, userMessage('q'))).status).toBe(200);
    const reply = await send(engine.url, '/v1/chat/completions?api-version=2024-06-01', 'POST', JSON.stringify(userMessage('q')));
    expect(reply.status).toBe(200);
    expect(engine.requests[1]).toMatchObject({ path: '/v1/chat/completions', url: '/v1/chat/completions?api-version=2024-06-01' });
  });
});

describe('GET /v1/models and /health', () => {
  it('lists the models', async () => {
    const reply = await send(engine.url, '/v1/models', 'GET');
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({
      object: 'list',
      data: [
        { id: 'test-model', object: 'model' },
        { id: 'other-model', object: 'model' },
      ],
    });
  });

  it('answers health', async () => {
    const reply = await send(engine.url, '/health', 'GET');
    expect(reply).toMatchObject({ status: 200, text: '{"status":"ok"}' });
  });
});

describe('auth', () => {
  it('answers 401 without the right bearer key, on every path but /health', async () => {
    const locked = await startTestEngine({ apiKey: 'sk-test' });
    try {
      const none = await chat(locked.url, userMessage('hi'));
      expect(none.status).toBe(401);
      expect(none.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
      expect((await chat(locked.url, userMessage('hi'), { authorization: 'Bearer sk-wrong' })).status).toBe(401);
      expect((await send(locked.url, '/v1/models', 'GET')).status).toBe(401);
      expect((await send(locked.url, '/health', 'GET')).status).toBe(200);
      expect((await chat(locked.url, userMessage('hi'), { authorization: 'Bearer sk-test' })).status).toBe(200);
      expect((await send(locked.url, '/v1/models', 'GET', undefined, { authorization: 'Bearer sk-test' })).status).toBe(200);
      expect(locked.counts.byStatus).toEqual({ 200: 3, 401: 3 });
      expect(locked.counts.completions).toBe(1);
    } finally {
      await locked.close();
    }
  });
});
