// A command engine in a real Docker container: dockerd started here (the runner's test helper), an
// image with node inside, and the test engine's bin (the repo mounted read-only) standing in for `vllm serve`.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { auth, chat, KEY, logCollector, testEngineBin, userMessage } from './helpers.js';

/** What @vhb/runner's docker helpers offer (loaded by path: tsc keeps another package's files out of this one). */
interface DockerDaemon {
  docker: { listContainers(options: { all: boolean }): Promise<{ Names: string[]; State: string }[]> };
  host: string;
  stop(): Promise<void>;
}
const helpers = join(import.meta.dirname, '../../runner/test/helpers');
const { dockerSkipReason, startDockerd } = (await import(join(helpers, 'docker-daemon.ts'))) as {
  dockerSkipReason(): string | undefined;
  startDockerd(): Promise<DockerDaemon>;
};
const { importNodeImage } = (await import(join(helpers, 'docker-image.ts'))) as {
  importNodeImage(docker: unknown, workDir: string, image: string): Promise<void>;
};

const IMAGE = 'vhb-node:serve-test';
const SECRET = 'tok-container-secret-9876';
const repoRoot = join(import.meta.dirname, '../../..');
const skipReason =
  dockerSkipReason() ??
  (existsSync('/usr/local/bin/docker') || existsSync('/usr/bin/docker') ? undefined : 'the docker CLI is not installed');
if (skipReason) console.warn(`container-docker.test.ts: skipping the tests against a real Docker engine: ${skipReason}`);

const post = (gateway: Gateway, path: string, body: unknown) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

describe.skipIf(skipReason)('a command engine in a docker container (real dockerd)', () => {
  let daemon: DockerDaemon;
  let work: string;
  const logs = logCollector();
  const serveContainers = async () =>
    (await daemon.docker.listContainers({ all: true })).filter((c) => c.Names.some((name) => name.startsWith('/vhb-serve-')));
  const open = () =>
    createGateway({
      port: 0,
      apiKeys: [KEY],
      env: { ...process.env, DOCKER_HOST: daemon.host, ENGINE_TOKEN: SECRET },
      logDestination: logs,
      nvidiaSmi: null,
      engines: {
        boxed: {
          kind: 'command',
          // The engine refuses requests without ENGINE_TOKEN as bearer: an answer proves `-e ENGINE_TOKEN` reached it.
          command: ['node', testEngineBin(), '--port', '{port}', '--model', 'served-id', '--api-key-env', 'ENGINE_TOKEN'],
          modelId: 'served-id',
          apiKeyEnv: 'ENGINE_TOKEN',
          env: ['ENGINE_TOKEN'],
          startupTimeoutMs: 30_000,
          stopGraceMs: 5000,
          container: { image: IMAGE, mounts: [{ source: repoRoot, readOnly: true }] },
        },
      },
    });

  beforeAll(async () => {
    daemon = await startDockerd();
    work = await mkdtemp(join(tmpdir(), 'vhb-serve-docker-'));
    await importNodeImage(daemon.docker, work, IMAGE);
  }, 90_000);
  afterAll(async () => {
    await daemon?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('load starts the container and waits for health, chat goes through it, unload leaves no container', async () => {
    const gateway = await open();
    try {
      const load = await post(gateway, '/v1/models/load', { model: 'boxed' });
      expect(load.status).toBe(200);
      expect(await load.json()).toMatchObject({ model: 'boxed', engine: 'command', state: 'loaded' });
      expect((await serveContainers()).map((c) => c.State)).toEqual(['running']);

      const response = await chat(gateway, { model: 'boxed', messages: userMessage('hello from a container') });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.choices[0].message.content).toEqual(expect.any(String));
      expect(body.choices[0].message.content.length).toBeGreaterThan(0);

      const unload = await post(gateway, '/v1/models/unload', { model: 'boxed' });
      expect(unload.status).toBe(200);
      expect(await serveContainers()).toEqual([]);
    } finally {
      await gateway.close();
    }
    const text = logs.text();
    expect(text).toContain('docker run --rm --init --name vhb-serve-boxed-');
    expect(text).toContain('-e ENGINE_TOKEN');
    expect(text).not.toContain(SECRET);
  }, 60_000);

  it('closing the gateway with the model loaded removes its container too', async () => {
    const gateway = await open();
    try {
      expect((await post(gateway, '/v1/models/load', { model: 'boxed' })).status).toBe(200);
      expect(await serveContainers()).toHaveLength(1);
    } finally {
      await gateway.close();
    }
    expect(await serveContainers()).toEqual([]);
  }, 60_000);
});
