import { startTestEngine } from '@vhb-tools/test-engine';
import { describe, expect, it } from 'vitest';
import { createGateway, Masker } from '../src/index.js';
import { auth, chat, KEY, logCollector, userMessage } from './helpers.js';

const ENGINE_KEY = 'sk-engine-secret-4f9a2b';
const PASSED_ENV = 'hf_passedToTheEngine_77';

describe('secrets', () => {
  it('never appear in log lines or error bodies', async () => {
    const engine = await startTestEngine({ apiKey: ENGINE_KEY });
    const logs = logCollector();
    const gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      env: { ...process.env, ENGINE_KEY, HF_TOKEN: PASSED_ENV },
      logLevel: 'trace',
      logDestination: logs,
      nvidiaSmi: null,
      engines: {
        remote: { kind: 'openai', baseUrl: engine.baseUrl, modelId: 'test-model', apiKeyEnv: 'ENGINE_KEY' },
        // An engine that prints its token and dies: the output goes to the log and to the load error.
        leaky: {
          kind: 'command',
          command: [
            process.execPath,
            '-e',
            'console.log("token=" + process.env.HF_TOKEN + " key=" + process.env.ENGINE_KEY); process.exit(1)',
          ],
          env: ['HF_TOKEN'],
          apiKeyEnv: 'ENGINE_KEY',
          startupTimeoutMs: 30_000,
        },
      },
    });
    const bodies: string[] = [];
    try {
      // The engine key is injected from the environment: the engine accepts the request.
      const ok = await chat(gateway, { model: 'remote', messages: userMessage('hi') });
      expect(ok.status).toBe(200);
      expect(engine.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ENGINE_KEY}`);
      bodies.push(await ok.text());

      // The engine echoes the key in an error: the gateway's error body masks it.
      engine.failNext({ status: 500, body: JSON.stringify({ error: { message: `invalid key ${ENGINE_KEY}` } }) });
      const failed = await chat(gateway, { model: 'remote', messages: userMessage('hi') });
      expect(failed.status).toBe(502);
      const failedBody = await failed.text();
      expect(failedBody).toContain('invalid key ***');
      bodies.push(failedBody);

      const load = await fetch(`${gateway.url}/v1/models/load`, { method: 'POST', headers: auth, body: '{"model":"leaky"}' });
      expect(load.status).toBe(503);
      const loadBody = await load.text();
      expect(loadBody).toContain('token=*** key=***');
      bodies.push(loadBody);

      // A wrong key sent by a client is not echoed either.
      bodies.push(await (await chat(gateway, { model: 'remote', messages: userMessage('hi') }, { 'x-api-key': `${KEY}-nope` })).text());
    } finally {
      await gateway.close();
      await engine.close();
    }
    const log = logs.text();
    expect(log).toContain('token=*** key=***');
    for (const secret of [ENGINE_KEY, PASSED_ENV, KEY]) {
      expect(log, secret).not.toContain(secret);
      for (const body of bodies) expect(body, secret).not.toContain(secret);
    }
  });

  it('masks JSON-escaped forms, longest first, and leaves short values alone', () => {
    const masker = new Masker();
    masker.add('abc', 'pa"ss\\word', 'token-1', 'token-12');
    expect(masker.mask('x token-12 y token-1 abc')).toBe('x *** y *** abc');
    expect(masker.mask(JSON.stringify({ v: 'pa"ss\\word' }))).toBe('{"v":"***"}');
  });
});
