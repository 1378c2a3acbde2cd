import { createHook } from 'node:async_hooks';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../src/index.js';
import { chat, userMessage } from './helpers.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine.close());
beforeEach(() => engine.reset());

// The engine's pending timers: Timeouts longer than 900 s (the tests below set ttftMs to LONG), tracked from creation until
// they fire or are cleared.
const LONG = 987_654;
const pending = new Set<number>();
createHook({
  init(id, type, _trigger, resource) {
    if (type === 'Timeout' && ((resource as { _idleTimeout?: number })._idleTimeout ?? 0) > 900_000) pending.add(id);
  },
  destroy(id) {
    pending.delete(id);
  },
}).enable();

async function settled(): Promise<number> {
  for (let i = 0; i < 200 && pending.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
  return pending.size;
}

/** Opens a streamed chat request with node:http (no client-side timers) and resolves on the first bytes. */
function openStream(url: string, prompt: string): Promise<{ destroy: () => void; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/chat/completions`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json' },
    });
    const closed = new Promise<void>((done) => req.on('close', () => done()));
    req.on('error', () => {});
    req.on('response', (res) => {
      res.once('data', () => resolve({ destroy: () => req.destroy(), closed }));
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end(JSON.stringify({ ...userMessage(prompt), stream: true }));
  });
}

describe('failNext', () => {
  it('answers the queued failures in order, one per chat request, then normally', async () => {
    engine.failNext({ status: 429, retryAfter: '1' }, { status: 503, body: 'overloaded' }, { status: 429 });
    const first = await chat(engine.url, userMessage('p'));
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
    const second = await chat(engine.url, userMessage('p'));
    expect(second).toMatchObject({ status: 503, text: 'overloaded' });
    expect(second.headers['content-type']).toMatch(/^text\/plain/);
    const third = await chat(engine.url, userMessage('p'));
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeUndefined();
    expect((await chat(engine.url, userMessage('p'))).status).toBe(200);
    expect(engine.counts.byStatus).toEqual({ 200: 1, 429: 2, 503: 1 });
    expect(engine.counts.byPrompt.get('p')).toBe(4);
    expect(engine.counts.completedByPrompt.get('p')).toBe(1);
    expect(engine.counts.completions).toBe(1);
    expect(engine.requests.map((r) => r.status)).toEqual([429, 503, 429, 200]);
  });

  it('sends an HTTP-date Retry-After as given, and a 500 with an OpenAI-style error', async () => {
    const date = new Date(Date.now() + 2000).toUTCString();
    engine.failNext({ status: 429, retryAfter: date }, { status: 500 });
    expect((await chat(engine.url, userMessage('p'))).headers['retry-after']).toBe(date);
    const crash = await chat(engine.url, userMessage('p'));
    expect(crash.status).toBe(500);
    expect(crash.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('does not spend a failure on requests that are not valid chat requests', async () => {
    engine.failNext({ status: 500 });
    expect((await chat(engine.url, '{"model": "m"}')).status).toBe(400);
    expect((await chat(engine.url, userMessage('p'))).status).toBe(500);
  });

  it('resets the connection without answering', async () => {
    engine.failNext({ reset: true });
    await expect(chat(engine.url, userMessage('p'))).rejects.toThrow();
    expect((await chat(engine.url, userMessage('p'))).status).toBe(200);
    expect(engine.requests.map((r) => r.status)).toEqual([0, 200]);
    expect(engine.counts.byPrompt.get('p')).toBe(2);
    expect(engine.counts.byStatus).toEqual({ 200: 1 });
  });

  it('hangs until the client gives up, and close() drops hanging connections', async () => {
    engine.failNext({ hang: true });
    const aborted = fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(userMessage('h')),
      signal: AbortSignal.timeout(200),
    });
    await expect(aborted).rejects.toThrow();
    expect(engine.counts.completions).toBe(0);
    expect((await chat(engine.url, userMessage('ok'))).status).toBe(200);

    const other = await startTestEngine();
    other.failNext({ hang: true });
    const hanging = chat(other.url, userMessage('h'));
    while (other.counts.byPrompt.size === 0) await new Promise((r) => setTimeout(r, 5));
    await other.close();
    await expect(hanging).rejects.toThrow();
  });

  it('refuses what is not a failure', () => {
    expect(() => engine.failNext({ status: 200 })).toThrow(TypeError);
    expect(() => engine.failNext({ status: 429 }, { status: 700 })).toThrow(/700/);
    expect(() => engine.failNext({ reset: false } as never)).toThrow(TypeError);
  });
});

describe('client disconnects', () => {
  it('clears the timers of a stream the client dropped, and does not count it as completed', async () => {
    engine.behaviour.ttftMs = LONG;
    const stream = await openStream(engine.url, 'dropped');
    expect(pending.size).toBe(1); // the engine's timer for the first content chunk
    stream.destroy();
    await stream.closed;
    expect(await settled()).toBe(0);
    expect(engine.counts.byPrompt.get('dropped')).toBe(1);
    expect(engine.counts.completedByPrompt.get('dropped')).toBeUndefined();
    expect(engine.counts.completions).toBe(0);
    expect(engine.requests[0]?.status).toBe(200);
  });

  it('clears the timer of a delayed non-streamed reply the client dropped', async () => {
    engine.behaviour.ttftMs = LONG;
    const req = httpRequest(`${engine.url}/v1/chat/completions`, { method: 'POST', agent: false });
    const closed = new Promise((done) => req.on('close', done));
    req.on('error', () => {});
    req.end(JSON.stringify(userMessage('gone')));
    while (engine.counts.byPrompt.size === 0) await new Promise((r) => setImmediate(r));
    expect(pending.size).toBe(1); // the engine's timer for the reply
    req.destroy();
    await closed;
    expect(await settled()).toBe(0);
    expect(engine.counts.completions).toBe(0);
    engine.behaviour.ttftMs = 0;
    expect((await chat(engine.url, userMessage('still up'))).status).toBe(200);
  });
});
