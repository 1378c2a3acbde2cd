import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunpodEnvManager, type RunpodOptions } from '../src/environments/runpod.js';
import { POD_AGENT } from '../src/environments/runpod-agent.js';

// RunPod cannot be reached from here: a real HTTP server on 127.0.0.1 speaks the shape of its
// REST API v1 (POST /pods, GET /pods/{id}, DELETE /pods/{id}) and records every call. A "pod" is
// the agent the manager ships in the pod's env (VHB_POD_AGENT), started as a real process once
// the pod has been polled a few times, against a real (local) storage; DELETE kills it.

const runnerRoot = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = 'rp_TESTKEY_0123456789abcdef';

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: any;
}

interface FakePod {
  id: string;
  body: any;
  gets: number;
  status: string;
  agent?: ChildProcess;
  agentLog: string;
}

interface Behaviour {
  /** Status and body to answer POST /pods with instead of creating a pod; 'hang' never answers. */
  create?: { status: number; body: string } | 'hang';
  /** Statuses to answer the next GETs with, one each, before normal answers resume. */
  getFailures: number[];
  /** Answer DELETE with this status (once). */
  deleteFailure?: number;
  /** The agent starts at this GET of the pod; never when undefined. */
  startAtGet?: number;
  /** The pod stops (as if terminated from the console) at this GET. */
  terminateAtGet?: number;
}

let server: Server;
let baseUrl: string;
let requests: Recorded[];
let pods: Map<string, FakePod>;
let behaviour: Behaviour;
let root: string;
let store: string;

function answer(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
}

function startAgent(pod: FakePod) {
  const agent = spawn(process.execPath, ['--input-type=module', '-e', pod.body.env.VHB_POD_AGENT], {
    cwd: runnerRoot, // where @vhb/storage resolves, as /vhb/plugins does in a real pod
    env: { ...pod.body.env, PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agent.stdout?.on('data', (chunk) => (pod.agentLog += chunk));
  agent.stderr?.on('data', (chunk) => (pod.agentLog += chunk));
  pod.agent = agent;
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  let text = '';
  for await (const chunk of req) text += chunk;
  const path = req.url ?? '';
  requests.push({
    method: req.method ?? '',
    path,
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'],
    body: text ? JSON.parse(text) : undefined,
  });
  const match = /^\/v1\/pods(?:\/([^/]+))?$/.exec(path);
  if (!match) return answer(res, 404, { error: 'not found' });
  if (req.headers.authorization !== `Bearer ${API_KEY}`) return answer(res, 401, { error: 'invalid api key' });
  const id = match[1];
  if (req.method === 'POST' && !id) {
    if (behaviour.create === 'hang') return; // never answered
    if (behaviour.create) return answer(res, behaviour.create.status, behaviour.create.body);
    const pod: FakePod = { id: `pod-${pods.size + 1}`, body: JSON.parse(text), gets: 0, status: 'RUNNING', agentLog: '' };
    pods.set(pod.id, pod);
    return answer(res, 201, { id: pod.id, desiredStatus: 'RUNNING', imageName: pod.body.imageName, env: pod.body.env });
  }
  const pod = id ? pods.get(id) : undefined;
  if (!pod || pod.status === 'TERMINATED') return answer(res, 404, { error: 'pod not found' });
  if (req.method === 'GET') {
    pod.gets += 1;
    if (pod.gets === behaviour.startAtGet) startAgent(pod);
    const failure = behaviour.getFailures.shift();
    if (failure) return answer(res, failure, 'upstream connect error');
    if (pod.gets === behaviour.terminateAtGet) pod.status = 'EXITED';
    return answer(res, 200, { id: pod.id, desiredStatus: pod.status, lastStartedAt: '2026-11-23T19:20:01Z' });
  }
  if (req.method === 'DELETE') {
    if (behaviour.deleteFailure) {
      const status = behaviour.deleteFailure;
      behaviour.deleteFailure = undefined;
      return answer(res, status, { error: 'try again' });
    }
    pod.agent?.kill('SIGKILL');
    pod.status = 'TERMINATED';
    return answer(res, 204);
  }
  return answer(res, 405);
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  requests = [];
  pods = new Map();
  behaviour = { getFailures: [], startAtGet: 2 };
  root = await mkdtemp(join(tmpdir(), 'vhb-env-runpod-'));
  store = join(root, 'store');
  await mkdir(store);
});

afterEach(async () => {
  for (const pod of pods.values()) pod.agent?.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

function manager(extra: Partial<RunpodOptions> = {}): RunpodEnvManager {
  return new RunpodEnvManager({
    image: 'ghcr.io/vhb/task:1',
    storage: pathToFileURL(store).href,
    storageEnv: { AWS_SECRET_ACCESS_KEY: 'storage-secret-9f8e7d6c' },
    prefix: 'jobs',
    gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
    gpuCount: 1,
    cloudType: 'SECURE',
    containerDiskInGb: 20,
    volumeInGb: 0,
    ports: ['8888/http'],
    baseUrl,
    pollMs: 20,
    maxPollMs: 80,
    startTimeoutMs: 20_000,
    runTimeoutMs: 20_000,
    env: { RUNPOD_API_KEY: API_KEY },
    ...extra,
  });
}

// The job: reads the question from the read-only data mount, appends an answer to the results
// mount (which already holds one from an earlier, interrupted run), prints a secret and whether the
// storage credentials leaked into its environment.
const JOB = [
  "const fs = require('node:fs');",
  "const q = fs.readFileSync(process.argv[1] + '/question.txt', 'utf8').trim();",
  "fs.appendFileSync(process.argv[2] + '/predictions.jsonl', JSON.stringify({ id: 'q2', answer: q.toUpperCase() }) + '\\n');",
  "console.log('key=' + process.env.MODEL_KEY);",
  "console.log('aws=' + (process.env.AWS_SECRET_ACCESS_KEY ?? 'absent') + ' agent=' + (process.env.VHB_POD_AGENT ? 'leaked' : 'absent'));",
  "console.error('done');",
  'process.exit(Number(process.env.EXIT_CODE));',
].join('\n');

async function jobMounts() {
  const data = join(root, 'host', 'data');
  const results = join(root, 'host', 'results');
  await mkdir(data, { recursive: true });
  await mkdir(results, { recursive: true });
  await writeFile(join(data, 'question.txt'), 'what is on the receipt\n');
  await writeFile(join(results, 'predictions.jsonl'), `${JSON.stringify({ id: 'q1', answer: 'A' })}\n`);
  const podData = join(root, 'pod', 'data');
  const podResults = join(root, 'pod', 'results');
  return {
    data,
    results,
    request: (exitCode: number) => ({
      command: [process.execPath, '-e', JOB, podData, podResults],
      env: { MODEL_KEY: 'sk-model-secret-42', EXIT_CODE: String(exitCode) },
      mounts: [
        { source: data, target: podData, readOnly: true },
        { source: results, target: podResults },
      ],
    }),
  };
}

async function storedFiles(): Promise<string[]> {
  return (await readdir(store, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
}

describe('runpod: a run', { timeout: 30_000 }, () => {
  it('creates the pod, polls it, runs the job through the storage, collects the results, terminates the pod', async () => {
    const env = manager();
    expect(
      await env.setup({ packages: ['@vhb/task-vqa@0.3.1', '@vhb/metric-cer@^0.1.0'], registry: 'https://registry.npmjs.org/' }),
    ).toEqual({ pluginDir: '/vhb/plugins' });
    const { results, request } = await jobMounts();
    const lines: [string, string][] = [];
    const result = await env.run({ ...request(0), onLog: (line, stream) => lines.push([line, stream]) });

    expect(result).toEqual({ exitCode: 0 });
    expect(lines).toEqual([
      ['key=***', 'stdout'],
      ['aws=absent agent=absent', 'stdout'],
      ['done', 'stderr'],
    ]);
    expect(
      (await readFile(join(results, 'predictions.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['q1', 'q2']);
    expect((await readdir(results)).sort()).toEqual(['predictions.jsonl']);

    const [create, ...rest] = requests;
    expect(create).toEqual({
      method: 'POST',
      path: '/v1/pods',
      authorization: `Bearer ${API_KEY}`,
      contentType: 'application/json',
      body: {
        name: expect.stringMatching(/^vhb-[0-9a-f]{12}$/),
        imageName: 'ghcr.io/vhb/task:1',
        gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
        gpuCount: 1,
        cloudType: 'SECURE',
        containerDiskInGb: 20,
        volumeInGb: 0,
        ports: ['8888/http'],
        env: {
          AWS_SECRET_ACCESS_KEY: 'storage-secret-9f8e7d6c',
          MODEL_KEY: 'sk-model-secret-42',
          EXIT_CODE: '0',
          VHB_POD_STORAGE: pathToFileURL(store).href,
          VHB_POD_PREFIX: expect.stringMatching(/^jobs\/[0-9a-f]{12}$/),
          VHB_POD_AGENT: POD_AGENT,
        },
        dockerStartCmd: [
          'sh',
          '-c',
          [
            'set -e',
            'mkdir -p /vhb/plugins',
            'cd /vhb/plugins',
            `[ -f package.json ] || echo '{ "private": true }' > package.json`,
            "npm install --no-audit --no-fund --registry 'https://registry.npmjs.org/' '@vhb/storage' '@vhb/task-vqa@0.3.1' '@vhb/metric-cer@^0.1.0'",
            'exec node --input-type=module -e "$VHB_POD_AGENT"',
          ].join('\n'),
        ],
      },
    });
    expect(create?.body.name).toBe(`vhb-${create?.body.env.VHB_POD_PREFIX.slice('jobs/'.length)}`);
    const polls = rest.slice(0, -1);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    for (const poll of polls)
      expect(poll).toEqual({
        method: 'GET',
        path: '/v1/pods/pod-1',
        authorization: `Bearer ${API_KEY}`,
        contentType: undefined,
        body: undefined,
      });
    expect(rest.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1', authorization: `Bearer ${API_KEY}`, body: undefined });
    expect(pods.get('pod-1')?.status).toBe('TERMINATED');

    expect(await storedFiles()).not.toEqual([]);
    await env.cleanup();
    expect(await storedFiles()).toEqual([]);
    expect(requests).toHaveLength(polls.length + 2); // nothing left to terminate
    await env.cleanup();
  });

  it('a non-zero exit is a result, and the pod is still terminated', async () => {
    const env = manager();
    await env.setup({ packages: [] });
    const { request } = await jobMounts();
    expect(await env.run(request(3))).toEqual({ exitCode: 3 });
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1' });
    expect(requests[0]?.body.dockerStartCmd[2]).toContain("npm install --no-audit --no-fund '@vhb/storage'\n");
    await env.cleanup();
  });

  it('keeps polling through a few failed polls', async () => {
    behaviour.getFailures = [502, 500];
    const env = manager();
    const { request } = await jobMounts();
    expect(await env.run(request(0))).toEqual({ exitCode: 0 });
    expect(requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(4);
    await env.cleanup();
  });
});

describe('runpod: failures terminate the pod', { timeout: 30_000 }, () => {
  it('a job that never starts times out, and the pod is terminated', async () => {
    behaviour.startAtGet = undefined;
    const env = manager({ startTimeoutMs: 300 });
    const { request } = await jobMounts();
    await expect(env.run(request(0))).rejects.toMatchObject({
      code: 'VHB_E_RUNPOD_TIMEOUT',
      message: 'the job in pod pod-1 did not start within 300 ms',
    });
    expect(requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(3);
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1' });
    await env.cleanup();
  });

  it('a pod stopped before its job ended is VHB_E_RUNPOD_POD', async () => {
    behaviour.startAtGet = undefined;
    behaviour.terminateAtGet = 2;
    const env = manager();
    const { request } = await jobMounts();
    await expect(env.run(request(0))).rejects.toMatchObject({
      code: 'VHB_E_RUNPOD_POD',
      message: expect.stringContaining('pod pod-1 is EXITED'),
    });
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1' });
  });

  it('an agent that fails around the command (here: a mount it cannot create) is VHB_E_RUNPOD_JOB', async () => {
    const env = manager();
    const { data, request } = await jobMounts();
    const job = request(0);
    job.mounts[0]!.target = join(data, 'question.txt', 'not-a-folder');
    await expect(env.run(job)).rejects.toMatchObject({
      code: 'VHB_E_RUNPOD_JOB',
      message: expect.stringMatching(/^the job in pod pod-1 failed before or after its command: .*not-a-folder/),
    });
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1' });
    await env.cleanup();
  });

  it('polls failing in a row fail the run, and the pod is terminated', async () => {
    behaviour.startAtGet = undefined;
    behaviour.getFailures = [500, 500, 500];
    const env = manager({ maxPollFailures: 3 });
    const { request } = await jobMounts();
    await expect(env.run(request(0))).rejects.toMatchObject({
      code: 'VHB_E_RUNPOD_API',
      message: expect.stringContaining('500 Internal Server Error to GET /pods/pod-1'),
    });
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/pods/pod-1' });
  });

  it('a failed terminate fails the run, and cleanup terminates the pod', async () => {
    behaviour.deleteFailure = 503;
    const env = manager();
    const { request } = await jobMounts();
    await expect(env.run(request(0))).rejects.toMatchObject({ code: 'VHB_E_RUNPOD_API', message: expect.stringContaining('503') });
    expect(pods.get('pod-1')?.status).toBe('RUNNING');
    await env.cleanup();
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(pods.get('pod-1')?.status).toBe('TERMINATED');
  });
});

describe('runpod: API errors', { timeout: 30_000 }, () => {
  it('401 is VHB_E_RUNPOD_AUTH, without the key in the message', async () => {
    const env = manager({ apiKey: 'rp_WRONGKEY_abcdef012345' });
    const { request } = await jobMounts();
    const error = await env.run(request(0)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VHB_E_RUNPOD_AUTH',
      message: 'RunPod refused the API key (401 Unauthorized) on POST /pods',
      hint: expect.stringContaining('RUNPOD_API_KEY'),
    });
    expect(JSON.stringify(error)).not.toContain('rp_WRONGKEY');
    expect(requests.map((r) => r.method)).toEqual(['POST']); // no pod, nothing to terminate
  });

  it('a missing key is VHB_E_RUNPOD_AUTH before any call', () => {
    expect(() => manager({ env: {} })).toThrow(
      expect.objectContaining({ code: 'VHB_E_RUNPOD_AUTH', message: expect.stringContaining('RUNPOD_API_KEY') }),
    );
  });

  it('500 on create is VHB_E_RUNPOD_API with the answer, marked retryable, and is not retried', async () => {
    behaviour.create = { status: 500, body: JSON.stringify({ error: `no capacity (key ${API_KEY})` }) };
    const env = manager();
    const { request } = await jobMounts();
    const error = await env.run(request(0)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VHB_E_RUNPOD_API',
      message: 'RunPod answered 500 Internal Server Error to POST /pods: {"error":"no capacity (key ***)"}',
      retry: { retryable: true },
    });
    expect(requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('an unanswered request is VHB_E_RUNPOD_TIMEOUT', async () => {
    behaviour.create = 'hang';
    const env = manager({ requestTimeoutMs: 200 });
    const { request } = await jobMounts();
    await expect(env.run(request(0))).rejects.toMatchObject({
      code: 'VHB_E_RUNPOD_TIMEOUT',
      message: 'RunPod did not answer POST /pods within 200 ms',
    });
  });

  it('bad options are VHB_E_RUNPOD_OPTIONS', () => {
    expect(() => manager({ gpuCount: 0 })).toThrow(
      expect.objectContaining({ code: 'VHB_E_RUNPOD_OPTIONS', message: expect.stringContaining('gpuCount') }),
    );
  });
});
