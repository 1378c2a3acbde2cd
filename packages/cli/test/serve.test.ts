import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '../src/index.js';
import * as cli from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'project');
const KEY = 'serve-test-key-123';
const bin = join(dirname(createRequire(import.meta.url).resolve('@vhb-tools/test-engine')), 'bin.js');

let project: string;
let engine: TestEngine;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'vhb-serve-'));
  await cp(fixture, project, { recursive: true });
  engine = await startTestEngine({ models: ['remote-id'] });
  await writeFile(
    join(project, 'registries/models/remote.yaml'),
    `name: remote\nadapter: echo-adapter\nmodel_id: remote-id\nendpoint: ${engine.baseUrl}\n`,
  );
  await writeFile(
    join(project, 'registries/models/local-engine.yaml'),
    [
      'name: local-engine',
      'adapter: echo-adapter',
      'model_id: test-model',
      'serve:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(bin)}, --port, "{port}"]`,
      '  health_path: /health',
      '  startup_timeout_ms: 30000',
      '',
    ].join('\n'),
  );
  process.env.VHB_GATEWAY_API_KEYS = KEY;
});

afterEach(async () => {
  delete process.env.VHB_GATEWAY_API_KEYS;
  await engine.close();
  await rm(project, { recursive: true, force: true });
});

/** Starts `vhb serve` in process; resolves once it prints its URL. */
async function serve(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false };
  const exit = cli.main(['node', 'vhb', '--cwd', project, 'serve', '--port', '0', ...args], () => output);
  let url: string | undefined;
  for (let i = 0; i < 600 && !url; i++) {
    url = out.join('\n').match(/listening on (http:\/\/\S+)/)?.[1];
    if (!url) {
      const done = await Promise.race([exit.then((code) => code), new Promise((r) => setTimeout(() => r(undefined), 100))]);
      if (done !== undefined) throw new Error(`vhb serve exited ${done}: ${err.join('\n')}`);
    }
  }
  if (!url) throw new Error(`vhb serve did not start: ${err.join('\n')}`);
  return { url, out, err, exit };
}

const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };
const ask = (url: string, model: string, text: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, messages: [{ role: 'user', content: text }] }),
  });

describe('vhb serve', () => {
  it("serves the registry's models (endpoint, serve block, in-process adapter) until Ctrl-C", { timeout: 60_000 }, async () => {
    const server = await serve('--load', 'local-engine');
    try {
      const printed = server.out.join('\n');
      expect(printed).toMatch(/remote\s+openai\s+loaded/);
      expect(printed).toMatch(/local-engine\s+command\s+loaded/);
      expect(printed).toMatch(/echo-model\s+adapter\s+unloaded/);

      // No key, no answer.
      expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
      const models = await (await fetch(`${server.url}/v1/models`, { headers })).json();
      expect(models.data.map((m: { id: string }) => m.id).sort()).toEqual(['echo-model', 'local-engine', 'offline-model', 'remote']);

      const remote = await ask(server.url, 'remote', 'hello remote');
      expect((await remote.json()).choices[0].message.content).toBe('echo: hello remote');
      expect(engine.requests.at(-1)?.body).toMatchObject({ model: 'remote-id' });

      const local = await ask(server.url, 'local-engine', 'hello child');
      expect((await local.json()).choices[0].message.content).toBe('echo: hello child');

      // The in-process adapter loads through the plugin host when asked.
      const load = await fetch(`${server.url}/v1/models/load`, { method: 'POST', headers, body: '{"model":"echo-model"}' });
      expect(await load.json()).toMatchObject({ model: 'echo-model', engine: 'adapter', state: 'loaded' });
      const echoed = await (await ask(server.url, 'echo-model', 'Say bonjour')).json();
      expect(echoed.choices[0].message.content).toBe('bonjour');

      // An adapter that cannot run here fails its load with the adapter's reason.
      const offline = await fetch(`${server.url}/v1/models/load`, { method: 'POST', headers, body: '{"model":"offline-model"}' });
      expect(offline.status).toBe(503);
      expect((await offline.json()).error.message).toContain('no endpoint — set FIXTURE_URL');
    } finally {
      process.emit('SIGINT');
    }
    expect(await server.exit).toBe(0);
    expect(server.err.join('\n')).toContain('gateway stopped');
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('refuses to start without an API key unless --no-auth', { timeout: 60_000 }, async () => {
    delete process.env.VHB_GATEWAY_API_KEYS;
    const err: string[] = [];
    const output: Output = { out: () => {}, err: (l) => err.push(l), interactive: false, debug: false };
    const code = await cli.main(['node', 'vhb', '--cwd', project, 'serve', '--port', '0'], () => output);
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('no API key is configured');

    const open = await serve('--no-auth');
    try {
      expect((await fetch(`${open.url}/v1/models`)).status).toBe(200);
    } finally {
      process.emit('SIGINT');
    }
    expect(await open.exit).toBe(0);
  });
});
