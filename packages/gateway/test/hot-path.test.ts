import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../src/index.js';
import { withField } from '../src/json-field.js';
import { auth, chat, KEY, logCollector, setup, userMessage } from './helpers.js';

describe('withField', () => {
  it('appends a field to the text of a JSON object, keeping the rest byte for byte', () => {
    expect(withField('{"a":1,"b":[2]}', 'vhb', { x: null })).toBe('{"a":1,"b":[2],"vhb":{"x":null}}');
    expect(withField('{ "a" : 1 }\n', 'vhb', 2)).toBe('{ "a" : 1 ,"vhb":2}');
    expect(withField('{}', 'vhb', 'é')).toBe('{"vhb":"é"}');
    expect(withField('{ \n }', 'vhb', 1)).toBe('{ \n "vhb":1}');
    for (const text of [JSON.stringify({ a: 1 }), '{"a":{"b":{}}}']) {
      expect(JSON.parse(withField(text, 'v', [1]) as string)).toEqual({ ...JSON.parse(text), v: [1] });
    }
  });

  it('gives undefined for text that does not end an object', () => {
    expect(withField('[1,2]', 'vhb', 1)).toBeUndefined();
    expect(withField('', 'vhb', 1)).toBeUndefined();
  });
});

describe('the non-streamed hot path', () => {
  it("passes the engine's JSON on as the engine wrote it, with vhb added last", async () => {
    const s = await setup();
    try {
      const response = await chat(s.gateway, { model: 'm', messages: userMessage('one two') });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await response.json();
      // The test engine's own field order, untouched, then vhb.
      expect(Object.keys(body)).toEqual(['id', 'object', 'created', 'model', 'choices', 'usage', 'vhb']);
      expect(body.model).toBe('engine-model');
      expect(body.choices[0].message.content).toBe('echo: one two');
      expect(body.vhb).toMatchObject({ model: 'm', engine: 'openai', prompt_tokens: 2, completion_tokens: 3 });
    } finally {
      await s.close();
    }
  });

  it('logs one line per request at debug level, none at info', async () => {
    for (const level of ['info', 'debug'] as const) {
      const logs = logCollector();
      const s = await setup({}, { logLevel: level, logDestination: logs });
      try {
        for (let i = 0; i < 3; i += 1) expect((await chat(s.gateway, { model: 'm', messages: userMessage('hi') })).status).toBe(200);
      } finally {
        await s.close();
      }
      const completed = logs.lines.filter((line) => line.includes('"request completed"'));
      if (level === 'info') expect(completed).toEqual([]);
      else {
        expect(completed).toHaveLength(3);
        expect(JSON.parse(completed[0] as string)).toMatchObject({ method: 'POST', url: '/v1/chat/completions', statusCode: 200 });
      }
      expect(logs.text()).not.toContain('incoming request');
    }
  });

  it('drops the request to the engine when the client goes away', async () => {
    // An engine that never answers, and tells when the gateway hangs up on it.
    let received = 0;
    let closed = 0;
    const engine = createServer((req, res) => {
      received += 1;
      req.resume();
      res.on('close', () => {
        closed += 1;
      });
    });
    engine.listen(0, '127.0.0.1');
    await once(engine, 'listening');
    const port = (engine.address() as AddressInfo).port;
    const gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      engines: { m: { kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1` } },
      logDestination: logCollector(),
      nvidiaSmi: null,
    });
    try {
      const client = new AbortController();
      const request = fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ model: 'm', messages: userMessage('hi') }),
        signal: client.signal,
      }).catch((error: Error) => error);
      await expect.poll(() => received, { timeout: 5000 }).toBe(1);
      client.abort();
      expect(await request).toBeInstanceOf(Error);
      await expect.poll(() => closed, { timeout: 5000 }).toBe(1);
    } finally {
      await gateway.close();
      engine.closeAllConnections();
      engine.close();
    }
  });
});
