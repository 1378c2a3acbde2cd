import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { auth, chat, KEY, logCollector, testEngineBin, userMessage } from './helpers.js';

const node = process.execPath;
const post = (gateway: Gateway, path: string, body: unknown) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

/** A process that ignores SIGTERM, prints its pid, and answers /health. */
const STUBBORN = `
const http = require('node:http');
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
http.createServer((req, res) => res.end('ok')).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('pid=' + process.pid));
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('command engines (the test engine bin standing in for vllm serve)', () => {
  let gateway: Gateway;
  const logs = logCollector();
  beforeAll(async () => {
    gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      env: { ...process.env, ENGINE_TOKEN: 'tok-engine-env-value' },
      logDestination: logs,
      nvidiaSmi: null,
      engines: {
        cmd: {
          kind: 'command',
          command: [node, testEngineBin(), '--port', '{port}', '--model', 'served-id', '--api-key-env', 'ENGINE_TOKEN', '--ttft-ms', '20'],
          modelId: 'served-id',
          apiKeyEnv: 'ENGINE_TOKEN',
          env: ['ENGINE_TOKEN'],
          startupTimeoutMs: 30_000,
          stopGraceMs: 5000,
        },
        crash: { kind: 'command', command: [node, '-e', 'console.error("no GPU found"); process.exit(3)'], startupTimeoutMs: 30_000 },
        missing: { kind: 'command', command: ['vhb-no-such-engine-binary', '--port', '{port}'] },
        needs: { kind: 'command', command: [node, '-e', ''], env: ['VHB_TEST_UNSET_VARIABLE'] },
        stubborn: { kind: 'command', command: [node, '-e', STUBBORN, '{port}'], stopGraceMs: 300, startupTimeoutMs: 30_000 },
      },
    });
  });
  afterAll(() => gateway.close());

  it('lists the models unloaded, and refuses requests to an unloaded one (409)', async () => {
    const models = await (await fetch(`${gateway.url}/v1/models`, { headers: auth })).json();
    expect(models.data.map((m: { id: string; vhb: { state: string } }) => [m.id, m.vhb.state])).toEqual([
      ['cmd', 'unloaded'],
      ['crash', 'unloaded'],
      ['missing', 'unloaded'],
      ['needs', 'unloaded'],
      ['stubborn', 'unloaded'],
    ]);
    const response = await chat(gateway, { model: 'cmd', messages: userMessage('hi') });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('VHB_E_GATEWAY_NOT_LOADED');
  });

  it('loads: starts the process on a free port, waits for /health, then proxies to it', async () => {
    const load = await post(gateway, '/v1/models/load', { model: 'cmd' });
    expect(load.status).toBe(200);
    expect(await load.json()).toMatchObject({ model: 'cmd', engine: 'command', state: 'loaded' });
    // The engine's stdout went to the gateway log.
    const port = Number(logs.text().match(/test engine listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(port).toBeGreaterThan(0);
    const engineAuth = { authorization: 'Bearer tok-engine-env-value' };
    expect((await fetch(`http://127.0.0.1:${port}/health`, { headers: engineAuth })).status).toBe(200);

    const response = await chat(gateway, { model: 'cmd', stream: true, messages: userMessage('from a child') });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"content":" child"');
    expect(text).toContain('"ttft_ms":');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);

    // Unload stops it: the port no longer answers.
    const unload = await post(gateway, '/v1/models/unload', { model: 'cmd' });
    expect(await unload.json()).toMatchObject({ model: 'cmd', state: 'unloaded' });
    await expect(fetch(`http://127.0.0.1:${port}/health`, { headers: engineAuth })).rejects.toThrow();
    expect((await chat(gateway, { model: 'cmd', messages: userMessage('hi') })).status).toBe(409);
  });

  it('fails a load whose process exits, with its last output, and shows the failure in /v1/models', async () => {
    const response = await post(gateway, '/v1/models/load', { model: 'crash' });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.code).toBe('VHB_E_GATEWAY_LOAD');
    expect(body.error.message).toContain('exited (3)');
    expect(body.error.message).toContain('no GPU found');
    const models = await (await fetch(`${gateway.url}/v1/models`, { headers: auth })).json();
    expect(models.data.find((m: { id: string }) => m.id === 'crash').vhb).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('exited'),
    });
  });

  it('fails a load whose program is not installed, or whose variables are not set', async () => {
    const missing = await post(gateway, '/v1/models/load', { model: 'missing' });
    expect(missing.status).toBe(503);
    expect((await missing.json()).error.message).toContain('cannot start vhb-no-such-engine-binary');
    const needs = await post(gateway, '/v1/models/load', { model: 'needs' });
    expect(needs.status).toBe(503);
    const body = await needs.json();
    expect(body.error.code).toBe('VHB_E_GATEWAY_ENV');
    expect(body.error.message).toContain('VHB_TEST_UNSET_VARIABLE');
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    expect((await post(gateway, '/v1/models/load', { model: 'stubborn' })).status).toBe(200);
    const pid = Number(logs.text().match(/pid=(\d+)/)?.[1]);
    expect(alive(pid)).toBe(true);
    const started = Date.now();
    expect((await post(gateway, '/v1/models/unload', { model: 'stubborn' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(logs.text()).toContain('ignoring SIGTERM');
    expect(logs.text()).toContain('sending SIGKILL');
    expect(alive(pid)).toBe(false);
  });

  it('unknown models are 404 on load and unload', async () => {
    for (const path of ['/v1/models/load', '/v1/models/unload']) {
      const response = await post(gateway, path, { model: 'nope' });
      expect(response.status).toBe(404);
    }
  });
});
