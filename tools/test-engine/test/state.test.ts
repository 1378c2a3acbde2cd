import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../src/index.js';
import { chat, send, userMessage } from './helpers.js';

describe('requests, counts and reset()', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ behaviour: { answer: () => 'fixed answer' } });
  });
  afterAll(() => engine.close());

  it('records every request and counts chat requests per prompt', async () => {
    const started = Date.now();
    await chat(engine.url, { model: 'm', messages: [{ role: 'user', content: 'item-1' }] }, { 'x-trace': 'abc' });
    await chat(engine.url, { ...userMessage('item-1'), stream: true });
    await chat(engine.url, userMessage('item-2'));
    await send(engine.url, '/health', 'GET');
    await chat(engine.url, '{oops');

    expect(engine.requests).toHaveLength(5);
    expect(engine.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      body: { model: 'm', messages: [{ role: 'user', content: 'item-1' }] },
      headers: { 'x-trace': 'abc', 'content-type': 'application/json' },
    });
    expect(engine.requests[0]?.at).toBeGreaterThanOrEqual(started);
    expect(engine.requests[3]).toMatchObject({ method: 'GET', path: '/health', status: 200, body: undefined });
    expect(engine.requests[4]).toMatchObject({ status: 400, body: undefined });
    expect(engine.counts).toEqual({
      total: 5,
      completions: 3,
      byStatus: { 200: 4, 400: 1 },
      byPrompt: new Map([
        ['item-1', 2],
        ['item-2', 1],
      ]),
      completedByPrompt: new Map([
        ['item-1', 2],
        ['item-2', 1],
      ]),
    });
  });

  it('reset() clears requests, counts and failures and restores the behaviour from the options', async () => {
    engine.failNext({ status: 500 });
    engine.behaviour.answer = () => 'changed';
    engine.behaviour.ttftMs = 5000;
    engine.reset();
    expect(engine.requests).toEqual([]);
    expect(engine.counts).toEqual({ total: 0, completions: 0, byStatus: {}, byPrompt: new Map(), completedByPrompt: new Map() });
    expect(engine.behaviour.ttftMs).toBe(0);
    const reply = await chat(engine.url, userMessage('after'));
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ choices: [{ message: { content: 'fixed answer' } }] });
  });

  it('keeps no requests with record: false, but still counts', async () => {
    const quiet = await startTestEngine({ record: false });
    try {
      await chat(quiet.url, userMessage('x'));
      expect(quiet.requests).toEqual([]);
      expect(quiet.counts).toMatchObject({ total: 1, completions: 1, byPrompt: new Map([['x', 1]]) });
    } finally {
      await quiet.close();
    }
  });
});

describe('delays', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ behaviour: { ttftMs: 120, tokenDelayMs: 40 } });
  });
  afterAll(() => engine.close());

  // Only lower bounds: the engine may never answer early, but a loaded machine may make it late.
  it('streams the role chunk at once, the first content chunk after ttftMs and the rest tokenDelayMs apart', async () => {
    const sent = performance.now();
    const res = await request(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...userMessage('a b c'), stream: true }),
    });
    const arrivals: { at: number; content: string | undefined }[] = [];
    let buffered = '';
    for await (const bytes of res.body) {
      buffered += bytes.toString();
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const data = buffered.slice(6, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\n\n');
        if (data === '[DONE]') continue;
        arrivals.push({ at: performance.now() - sent, content: JSON.parse(data).choices[0].delta.content });
      }
    }
    expect(arrivals.map((a) => a.content)).toEqual(['', 'echo:', ' a', ' b', ' c', undefined]);
    const [role, first, , , last] = arrivals.map((a) => a.at) as number[];
    expect(role).toBeLessThan(first as number);
    expect(first).toBeGreaterThanOrEqual(120);
    expect(last).toBeGreaterThanOrEqual(120 + 3 * 40);
  });

  it('answers a non-streamed request after ttftMs + tokenDelayMs × (chunks - 1)', async () => {
    const sent = performance.now();
    const reply = await chat(engine.url, userMessage('a b c'));
    expect(reply.status).toBe(200);
    expect(performance.now() - sent).toBeGreaterThanOrEqual(120 + 3 * 40);
  });

  it('reads behaviour at each request', async () => {
    engine.behaviour.ttftMs = 0;
    engine.behaviour.tokenDelayMs = 0;
    engine.behaviour.answer = () => 'now';
    const reply = await chat(engine.url, userMessage('a b c'));
    expect(reply.json()).toMatchObject({ choices: [{ message: { content: 'now' } }], usage: { completion_tokens: 1 } });
  });
});
