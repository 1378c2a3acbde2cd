import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { readPredictions } from '@vhb/sdk';
import { type LocalRegistry, publishWorkspace } from '@vhb-tools/registry';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinctMounts } from '../src/environments/run-in-environment.js';
import {
  containerCreateOptions,
  DockerEnvManager,
  describeContainer,
  dockerFromEnv,
  environmentVariables,
  managerFor,
  planExperiment,
  replayEvents,
  runExperiment,
} from '../src/index.js';
import { type DockerDaemon, dockerSkipReason, startDockerd } from './helpers/docker-daemon.js';
import { importNodeImage } from './helpers/docker-image.js';
import { vqaRegistries, writeTree } from './helpers/vqa-project.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const IMAGE = 'vhb-node:test';
const KEY = 'sk-docker-env-secret-1234';
const PUBLISHED = [
  '@vhb/sdk',
  '@vhb/task-vqa',
  '@vhb/dataset-jsonl',
  '@vhb/adapter-openai',
  '@vhb/metric-exact-match',
  '@vhb/reporter-json',
];

const skipReason = dockerSkipReason();
if (skipReason) console.warn(`env-docker.test.ts: skipping the tests against a real Docker engine: ${skipReason}`);

describe('docker manager: container options', () => {
  it('binds each mount at its target (its own path by default), with network, user, cwd and env', () => {
    const options = containerCreateOptions({
      image: 'node:20-slim',
      command: ['node', 'bin.js'],
      cwd: '/results/r',
      env: { API_KEY: 'k', HOME: '/tmp' },
      mounts: [
        { source: '/results/r' },
        { source: '/data/d', readOnly: true },
        { source: '/host/plugins', target: '/vhb/plugins', readOnly: true },
      ],
      network: 'host',
      user: '1000:1000',
    });
    expect(options).toEqual({
      Image: 'node:20-slim',
      Cmd: ['node', 'bin.js'],
      WorkingDir: '/results/r',
      User: '1000:1000',
      Env: ['API_KEY=k', 'HOME=/tmp'],
      Labels: { 'org.vlmhyperbench.managed': 'true' },
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        Mounts: [
          { Type: 'bind', Source: '/results/r', Target: '/results/r', ReadOnly: false },
          { Type: 'bind', Source: '/data/d', Target: '/data/d', ReadOnly: true },
          { Type: 'bind', Source: '/host/plugins', Target: '/vhb/plugins', ReadOnly: true },
        ],
        NetworkMode: 'host',
      },
    });
  });

  it('asks for NVIDIA GPUs only when the environment names some: a count, or all (-1)', () => {
    const base = { image: 'i', command: ['true'], network: 'none' as const };
    expect(containerCreateOptions({ ...base, gpus: 2 }).HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] },
    ]);
    expect(containerCreateOptions({ ...base, gpus: 'all' }).HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
    ]);
    expect(containerCreateOptions(base).HostConfig).not.toHaveProperty('DeviceRequests');
  });

  it('describes a container for the log with every env value masked', () => {
    const line = describeContainer({
      image: 'i:1',
      command: ['node', 'x.js'],
      env: { OPENAI_API_KEY: KEY },
      mounts: [{ source: '/d', readOnly: true }],
      network: 'host',
      gpus: 1,
    });
    expect(line).toBe('docker run -e OPENAI_API_KEY=*** -v /d:/d:ro --network host --gpus 1 i:1 node x.js');
    expect(line).not.toContain(KEY);
  });

  it('finds the engine from DOCKER_HOST', () => {
    type Modem = { socketPath?: string; host?: string; port?: number };
    expect((dockerFromEnv({ DOCKER_HOST: 'unix:///run/x/docker.sock' }).modem as unknown as Modem).socketPath).toBe('/run/x/docker.sock');
    const tcp = dockerFromEnv({ DOCKER_HOST: 'tcp://10.1.2.3:2376' }).modem as unknown as Modem;
    expect([tcp.host, tcp.port]).toEqual(['10.1.2.3', 2376]);
  });

  it('keeps one mount per target, the first (writable) one', () => {
    expect(distinctMounts([{ source: '/a' }, { source: '/b' }, { source: '/a/', readOnly: true }, { source: '/x', target: '/b' }])).toEqual(
      [{ source: '/a' }, { source: '/b' }],
    );
  });

  it('refuses an environment it cannot use: a docker model without image, an unset env name, runpod without its storage', () => {
    const context = { root: '/p', env: {}, model: 'm' };
    expect(() => managerFor({ kind: 'docker' }, context)).toThrow(
      expect.objectContaining({ code: 'VHB_E_ENV_CONFIG', message: expect.stringContaining('names no image') }),
    );
    expect(() => managerFor({ kind: 'runpod' }, context)).toThrow(expect.objectContaining({ code: 'VHB_E_ENV_CONFIG' }));
    expect(() => environmentVariables({ kind: 'docker', env: ['HF_TOKEN'] }, {}, 'm')).toThrow(
      expect.objectContaining({ code: 'VHB_E_ENV_CONFIG', message: expect.stringContaining('HF_TOKEN is not set') }),
    );
    expect(environmentVariables({ kind: 'docker', env: ['HF_TOKEN'] }, { HF_TOKEN: 'v', OTHER: 'w' }, 'm')).toEqual({ HF_TOKEN: 'v' });
  });
});

describe('a docker model whose plugins are not on npm', () => {
  it('fails the run with VHB_E_ENV_SOURCE naming the plugin, before touching docker', async () => {
    const work = await mkdtemp(join(tmpdir(), 'vhb-env-source-'));
    try {
      const files = vqaRegistries('http://127.0.0.1:9/v1');
      files['models/m.yaml'] += 'image: node:20-slim\nenvironment: { kind: docker }\n';
      await writeTree(join(work, 'registries'), {
        ...files,
        'runs/r.yaml': 'name: r\ntask: vqa\nmodel: m\ndataset: d\n',
        'experiments/p.yaml': 'name: p\nruns: [r]\nreports: [json]\n',
      });
      await writeTree(work, { 'data/items.jsonl': '{"id":"a","question":"q","references":["x"]}\n' });
      const config = projectConfigOf(work);
      const registry = await RegistryManager.load({ root: work, registriesDir: config.registriesDir, runMode: 'prod' });
      const plan = planExperiment(registry, config, 'p');
      const host = new PluginHost({ root: work, cacheDir: config.cacheDir });
      // DOCKER_HOST points nowhere: reaching for docker would be VHB_E_ENV_DOCKER instead.
      const { outcomes } = await runExperiment({ registry, host, plan, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
      expect(outcomes[0]).toMatchObject({ status: 'failed', code: 'VHB_E_ENV_SOURCE' });
      expect(outcomes[0]?.reason).toMatch(
        /plugin "task-vqa" comes from local .*task-vqa, which the docker environment of model "m" cannot install/,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

function projectConfigOf(dir: string, npmRegistry?: string): ProjectConfig {
  return {
    root: dir,
    runMode: 'prod',
    registriesDir: join(dir, 'registries'),
    resultsDir: join(dir, 'results'),
    cacheDir: join(dir, '.vhb-cache'),
    ...(npmRegistry ? { npmRegistry } : {}),
  };
}

describe.skipIf(skipReason !== undefined)('docker environment against a real Docker engine', { timeout: 120_000 }, () => {
  let daemon: DockerDaemon;
  let registry: LocalRegistry;
  let engine: TestEngine;
  let work: string;

  beforeAll(async () => {
    for (const dir of ['packages/sdk', 'plugins/task-vqa', 'plugins/adapter-openai']) {
      expect(existsSync(join(root, dir, 'dist', 'index.js')), `build ${dir} first (pnpm --filter @vhb/runner... build)`).toBe(true);
    }
    work = await mkdtemp(join(tmpdir(), 'vhb-env-docker-'));
    daemon = await startDockerd();
    [registry, engine] = await Promise.all([
      publishWorkspace({ root, only: PUBLISHED }).then((published) => published.registry),
      startTestEngine({ apiKey: KEY, behaviour: { ttftMs: 0, tokenDelayMs: 0 } }),
      importNodeImage(daemon.docker, work, IMAGE),
    ]);
  }, 180_000);

  afterAll(async () => {
    await engine?.close();
    await registry?.stop();
    await daemon?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  const containers = () => daemon.docker.listContainers({ all: true });

  it('runs a command in a container: lines streamed with the env masked, exit code kept, container removed', async () => {
    await writeTree(join(work, 'hello'), { 'hello.txt': 'hello from the host\n' });
    const manager = new DockerEnvManager({ image: IMAGE, docker: daemon.docker });
    const lines: string[] = [];
    const { exitCode } = await manager.run({
      command: ['sh', '-c', 'echo "key=$API_KEY"; echo "in $(pwd) as $(id -u)"; cat /data/hello.txt; echo oops >&2; exit 3'],
      cwd: '/tmp',
      env: { API_KEY: KEY },
      mounts: [{ source: join(work, 'hello'), target: '/data', readOnly: true }],
      onLog: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(exitCode).toBe(3);
    expect(lines[0]).toMatch(/^stderr: docker run --user \d+:\d+ --workdir \/tmp -e HOME=\*\*\* -e API_KEY=\*\*\* -v /);
    // Each stream keeps its order; the two are not ordered against each other.
    expect(lines.slice(1).filter((l) => l.startsWith('stdout'))).toEqual([
      'stdout: key=***',
      `stdout: in /tmp as ${process.getuid?.()}`,
      'stdout: hello from the host',
    ]);
    expect(lines.slice(1).filter((l) => l.startsWith('stderr'))).toEqual(['stderr: oops']);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(await containers()).toEqual([]);
    await manager.cleanup();
  });

  it('fails with VHB_E_ENV_MOUNT when a folder to mount does not exist, leaving no container', async () => {
    const manager = new DockerEnvManager({ image: IMAGE, docker: daemon.docker });
    await expect(manager.run({ command: ['true'], mounts: [{ source: join(work, 'not-there') }] })).rejects.toMatchObject({
      code: 'VHB_E_ENV_MOUNT',
    });
    expect(await containers()).toEqual([]);
  });

  it('removes the container of an interrupted command: VHB_E_ENV_ABORTED', async () => {
    const manager = new DockerEnvManager({ image: IMAGE, docker: daemon.docker });
    const controller = new AbortController();
    const running = manager.run({
      command: ['sh', '-c', 'echo started; sleep 60'],
      signal: controller.signal,
      onLog: (line) => line === 'started' && controller.abort(),
    });
    await expect(running).rejects.toMatchObject({ code: 'VHB_E_ENV_ABORTED' });
    expect(await containers()).toEqual([]);
  });

  it('fails with VHB_E_ENV_IMAGE for an image it does not have and cannot pull', async () => {
    const manager = new DockerEnvManager({ image: '127.0.0.1:9/vhb-missing:1', docker: daemon.docker });
    await expect(manager.run({ command: ['true'] })).rejects.toMatchObject({
      code: 'VHB_E_ENV_IMAGE',
      message: expect.stringContaining('127.0.0.1:9/vhb-missing:1 is not on the docker host and cannot be pulled'),
    });
  });

  it('vhb run: a docker model runs its task bin in a container with the plugins npm-installed from verdaccio', async () => {
    const ITEMS = 4;
    const project = join(work, 'project');
    // The engine echoes the prompt; the VQA task keeps the answer's first line.
    const answer = (i: number) => `echo: question number ${i}`;
    const npm = (name: string, kind: string) =>
      `name: ${name}\nkind: ${kind}\nsource: { type: npm, package: "@vhb/${name}", version: "^0.1.0" }\n`;
    await writeTree(join(project, 'registries'), {
      'packages/task-vqa.yaml': npm('task-vqa', 'task'),
      'packages/dataset-jsonl.yaml': npm('dataset-jsonl', 'dataset'),
      'packages/adapter-openai.yaml': npm('adapter-openai', 'adapter'),
      'packages/metric-exact-match.yaml': npm('metric-exact-match', 'metric'),
      'packages/reporter-json.yaml': npm('reporter-json', 'reporter'),
      'tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
      'datasets/d.yaml': 'name: d\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n',
      'models/m.yaml': [
        'name: m',
        'adapter: adapter-openai',
        'model_id: test-model',
        `endpoint: ${engine.baseUrl}`,
        'options: { concurrency: 2 }',
        `image: ${IMAGE}`,
        'environment: { kind: docker, env: [OPENAI_API_KEY] }',
        '',
      ].join('\n'),
      'metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
      'reports/json.yaml': 'name: json\npackage: reporter-json\n',
      'runs/r.yaml': 'name: r\ntask: vqa\nmodel: m\ndataset: d\n',
      'experiments/p.yaml': 'name: p\nruns: [r]\nreports: [json]\n',
    });
    // Even items are answered right, odd ones wrong: exact match 0.5.
    const rows = Array.from({ length: ITEMS }, (_, i) =>
      JSON.stringify({ id: `q${i}`, question: `question number ${i}`, references: [i % 2 === 0 ? answer(i) : 'wrong'] }),
    );
    await writeTree(project, { 'data/items.jsonl': `${rows.join('\n')}\n` });

    const config = projectConfigOf(project, registry.url);
    const registries = await RegistryManager.load({ root: project, registriesDir: config.registriesDir, runMode: 'prod' });
    const plan = planExperiment(registries, config, 'p');
    const host = new PluginHost({ root: project, cacheDir: config.cacheDir, npmRegistry: registry.url });
    engine.reset();
    const { outcomes } = await runExperiment({
      registry: registries,
      host,
      plan,
      env: { OPENAI_API_KEY: KEY, DOCKER_HOST: daemon.host },
    });
    const outcome = outcomes[0]!;
    expect(outcome.status, outcome.reason).toBe('ok');
    expect(outcome.summary?.items).toEqual({ total: ITEMS, succeeded: ITEMS, failed: 0 });

    // Every item answered, once: the engine (which needs the key) got one request per item.
    const predictions = [...(await readPredictions(join(outcome.outDir, 'predictions.jsonl'))).values()];
    expect(predictions.map((p) => p.id).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
    for (const p of predictions) {
      expect(p.error).toBeNull();
      expect(p.prediction).toBe(answer(Number(p.id.slice(1))));
    }
    const chats = engine.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(ITEMS);
    expect(chats.every((r) => r.status === 200)).toBe(true);
    expect([...engine.counts.completedByPrompt.values()]).toEqual(Array(ITEMS).fill(1));

    const summary = JSON.parse(await readFile(join(outcome.outDir, 'summary.json'), 'utf8'));
    expect(summary.items).toEqual({ total: ITEMS, succeeded: ITEMS, failed: 0 });
    expect(summary.metrics[0]).toMatchObject({ name: 'exact-match', score: 0.5 });
    expect(JSON.parse(await readFile(join(outcome.outDir, 'report-files.json'), 'utf8'))).toEqual({
      reports: [{ name: 'json', files: ['report.json'] }],
    });
    expect(existsSync(join(outcome.outDir, 'report.json'))).toBe(true);

    // The container ran the bin from the plugin folder npm filled inside it.
    const runFile = JSON.parse(await readFile(join(outcome.outDir, 'run.docker.json'), 'utf8'));
    expect(runFile.entries.adapter).toBe('/vhb/plugins/node_modules/@vhb/adapter-openai/dist/index.js');
    expect(runFile.spec).toEqual(JSON.parse(await readFile(join(outcome.outDir, 'run.json'), 'utf8')).spec);

    // events.jsonl: the item events, the stages, the install log; never the key.
    const eventsFile = join(project, 'results', 'p', 'events.jsonl');
    const events = await replayEvents(eventsFile);
    const runEvents = events.flatMap((e) => (e.type === 'run-event' ? [e.event] : []));
    expect(
      runEvents
        .filter((e) => e.type === 'item')
        .map((e) => (e as { id: string }).id)
        .sort(),
    ).toEqual(['q0', 'q1', 'q2', 'q3']);
    const stages = events.flatMap((e) => (e.type === 'stage-end' && e.run === 'r' ? [e.stage] : []));
    expect(stages).toEqual(['inference', 'evaluation', 'report']);
    expect(runEvents.some((e) => e.type === 'log' && e.message.includes('installing @vhb/task-vqa@0.1.0'))).toBe(true);
    expect(await readFile(eventsFile, 'utf8')).not.toContain(KEY);

    expect(await containers()).toEqual([]);
  });
});
