import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, KeyChecker, loadApiKeys, presentedKey } from '../src/index.js';
import { chat, KEY, logCollector, type Setup, setup, userMessage } from './helpers.js';

describe('authentication', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.close());

  const body = { model: 'm', messages: userMessage('secret question') };

  it('answers 401 without a key, and the engine gets no request', async () => {
    const response = await chat(s.gateway, body, { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'VHB_E_GATEWAY_UNAUTHORIZED' } });
    expect(s.engine.counts.total).toBe(0);
  });

  it('answers 401 with a wrong key (same length, other length, bearer), and the engine gets no request', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'x-api-key': `${KEY.slice(0, -1)}X` },
      { 'x-api-key': 'short' },
      { authorization: 'Bearer wrong-key-entirely' },
      { authorization: `Basic ${KEY}` },
    ]) {
      const response = await chat(s.gateway, body, { ...headers, 'content-type': 'application/json' });
      expect(response.status, JSON.stringify(headers)).toBe(401);
    }
    expect(s.engine.counts.total).toBe(0);
  });

  it('accepts X-API-Key and Authorization: Bearer', async () => {
    const a = await chat(s.gateway, body, { 'x-api-key': KEY, 'content-type': 'application/json' });
    const b = await chat(s.gateway, body, { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(s.engine.counts.completions).toBe(2);
  });

  it('guards the control plane too, but not /health', async () => {
    expect((await fetch(`${s.gateway.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${s.gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.gateway.url}/v1/models/unload`, { method: 'POST', body: '{"model":"m"}' })).status).toBe(401);
    const health = await fetch(`${s.gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', models: { configured: 1, loaded: 1 } });
  });
});

describe('API keys', () => {
  it('refuses to start without a key unless allowNoAuth, and then warns', async () => {
    await expect(createGateway({ port: 0, engines: {}, env: {}, logDestination: logCollector() })).rejects.toMatchObject({
      code: 'VHB_E_GATEWAY_NO_AUTH',
    });
    const logs = logCollector();
    const open = await createGateway({ port: 0, engines: {}, env: {}, allowNoAuth: true, logDestination: logs });
    try {
      expect((await fetch(`${open.url}/v1/models`)).status).toBe(200);
      expect(logs.text()).toContain('WITHOUT authentication');
    } finally {
      await open.close();
    }
  });

  it('reads keys from VHB_GATEWAY_API_KEYS and from a file (comments and blank lines skipped)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vhb-gw-keys-'));
    const file = join(dir, 'keys.txt');
    await writeFile(file, '# team keys\nfile-key-1\n\n  file-key-2  \n');
    expect(await loadApiKeys({ env: { VHB_GATEWAY_API_KEYS: 'env-a, env-b' }, apiKeyFile: file })).toEqual([
      'env-a',
      'env-b',
      'file-key-1',
      'file-key-2',
    ]);
    await writeFile(file, '# nothing\n');
    await expect(loadApiKeys({ env: {}, apiKeyFile: file })).rejects.toMatchObject({ code: 'VHB_E_GATEWAY_KEY_FILE' });
    await expect(loadApiKeys({ env: {}, apiKeyFile: join(dir, 'missing') })).rejects.toMatchObject({ code: 'VHB_E_GATEWAY_KEY_FILE' });
  });

  it('checks keys against every configured one', () => {
    const checker = new KeyChecker(['alpha-key', 'beta-key']);
    expect([
      checker.check('alpha-key'),
      checker.check('beta-key'),
      checker.check('gamma'),
      checker.check(undefined),
      checker.check(''),
    ]).toEqual([true, true, false, false, false]);
    expect(presentedKey({ authorization: 'bearer  tok ' })).toBe('tok');
    expect(presentedKey({ 'x-api-key': 'k', authorization: 'Bearer other' })).toBe('k');
    expect(presentedKey({})).toBeUndefined();
  });
});
