import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginHost, RegistryManager } from '@vhb/core';
import { readPredictions } from '@vhb/sdk';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  classOf,
  connectQueue,
  enqueueRuns,
  jobIdOf,
  Ledger,
  type Machine,
  maskUrl,
  ProjectCache,
  parseQueueUrl,
  parseRunJob,
  planExperiment,
  type QueueNotice,
  type QueueWorker,
  type RunJob,
  replayEvents,
  runOnQueue,
  startQueueWorker,
  type WorkerNotice,
} from '../src/index.js';
import { REDIS_SERVER, type RedisServer, startRedis } from './helpers/redis.js';
import { plugins, projectConfig, vqaRegistries, writeTree } from './helpers/vqa-project.js';

const job = (over: Partial<RunJob> = {}): RunJob => ({
  version: 1,
  root: '/projects/a',
  plan: 'p',
  run: 'r',
  mode: 'prod',
  fresh: false,
  resources: {},
  ...over,
});

const machine = (memoryMb: number, gpus: Machine['gpus'] = []): Machine => ({ gpus, cpus: 4, memoryMb });
const gpu = (index: number, memoryFreeMb: number) => ({
  index,
  uuid: `GPU-${index}`,
  name: 'Test GPU',
  memoryTotalMb: memoryFreeMb,
  memoryFreeMb,
});

describe('the queue API', () => {
  it('is exported from the package', async () => {
    const runner = await import('../src/index.js');
    for (const name of [
      'runOnQueue',
      'startQueueWorker',
      'enqueueRuns',
      'runQueuedRun',
      'connectQueue',
      'parseQueueUrl',
      'maskUrl',
      'runJobSchema',
      'parseRunJob',
      'jobIdOf',
      'jobProgressSchema',
      'classOf',
      'queueNameOf',
      'RESOURCE_CLASSES',
      'DEFAULT_QUEUE_NAME',
      'Ledger',
      'ProjectCache',
    ]) {
      expect(runner, name).toHaveProperty(name);
    }
  });
});

describe('queue jobs', () => {
  it('checks job data and names what is wrong', () => {
    expect(parseRunJob(job(), 'j1')).toEqual(job());
    const error = (() => {
      try {
        parseRunJob({ ...job(), root: 'relative/path', fresh: 'yes' }, 'j2');
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(error?.code).toBe('VHB_E_QUEUE_JOB');
    expect(error?.message).toContain('job j2');
    expect(error?.message).toContain('root: must be an absolute path');
    expect(error?.message).toContain('fresh');
    expect(() => parseRunJob({ ...job(), version: 2 }, 'j3')).toThrow(/version/);
  });

  it('gives a run the same job id every time, different for another project, plan or run, never with ":"', () => {
    const id = jobIdOf(job());
    expect(jobIdOf(job())).toBe(id);
    expect(id).toMatch(/^p\.r\.[0-9a-f]{12}$/);
    expect(jobIdOf(job({ root: '/projects/b' }))).not.toBe(id);
    expect(jobIdOf(job({ run: 'r2' }))).not.toBe(id);
    expect(jobIdOf(job({ plan: 'plans/nightly:v2.yaml' }))).not.toContain(':');
  });

  it('puts a run needing a GPU (whole or some memory) in the gpu class, any other in cpu', () => {
    expect(classOf({ gpu: true })).toBe('gpu');
    expect(classOf({ gpuMemoryMb: 16000 })).toBe('gpu');
    expect(classOf({ cpus: 8, memoryMb: 64000 })).toBe('cpu');
    expect(classOf({})).toBe('cpu');
  });
});

describe('queue URL', () => {
  it('masks the password in every form', () => {
    expect(maskUrl('redis://:s3cret@host:6379/2')).toBe('redis://:***@host:6379/2');
    expect(maskUrl('redis://user:s3cret@host:6379')).toBe('redis://user:***@host:6379');
    expect(maskUrl('redis://host:6379')).toBe('redis://host:6379');
    expect(maskUrl('redis://u:s3cret@ho st')).not.toContain('s3cret');
  });

  it('refuses what is not a Redis URL, without showing its password', () => {
    expect(parseQueueUrl('rediss://h:1/0').hostname).toBe('h');
    for (const bad of ['http://h:6379', 'redis://', 'redis://:pw-xyz@h:6379/db', 'host:6379']) {
      expect(() => parseQueueUrl(bad), bad).toThrow(expect.objectContaining({ code: 'VHB_E_QUEUE_URL' }));
    }
    expect(() => parseQueueUrl('redis://:pw-xyz@h:6379/db')).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('pw-xyz') }),
    );
  });

  it('fails at once, password masked, when nothing listens', async () => {
    const error = await connectQueue('redis://:topsecret@127.0.0.1:1', { connectTimeoutMs: 2000 }).catch((e) => e);
    expect(error.code).toBe('VHB_E_QUEUE_CONNECT');
    expect(error.message).toContain('redis://:***@127.0.0.1:1');
    expect(error.message).not.toContain('topsecret');
  });
});

describe('Ledger (what a worker can take)', () => {
  it('refuses for good what the machine can never hold, and places the rest on what the held runs leave', () => {
    const ledger = new Ledger(machine(16000, [gpu(0, 24000), gpu(1, 24000)]), 3);
    expect(ledger.check({ gpuMemoryMb: 40000, declaredBy: { gpu: 'model big' } })).toEqual({
      ok: false,
      never: true,
      reason: expect.stringMatching(/needs 40000 MB of GPU memory \(model big\) but the largest GPU has 24000 MB free/),
    });
    expect(ledger.check({ memoryMb: 32000 })).toMatchObject({ ok: false, never: true });

    const hold = (id: string, needs: Parameters<Ledger['check']>[0]) => {
      const fit = ledger.check(needs);
      if (!fit.ok) throw new Error(`${id} does not fit: ${fit.reason}`);
      ledger.hold(id, needs, fit.placement);
      return fit;
    };
    const a = hold('a', { gpuMemoryMb: 20000 });
    expect(a.placement.worker).toBe('gpu0');
    // The run is given its GPU alone: the runner sets CUDA_VISIBLE_DEVICES to it.
    expect(a.machine.gpus.map((g) => [g.index, g.memoryFreeMb])).toEqual([[0, 24000]]);
    const b = hold('b', { gpuMemoryMb: 20000 });
    expect(b.machine.gpus.map((g) => [g.index, g.memoryFreeMb])).toEqual([[1, 24000]]);
    // 4 GB left on each GPU: a 10 GB run waits; a CPU run fits, on no GPU.
    expect(ledger.check({ gpuMemoryMb: 10000 })).toEqual({ ok: false, never: false, reason: 'busy with 2 runs' });
    const c = hold('c', { memoryMb: 1000 });
    expect([c.placement.worker, c.machine.gpus, c.machine.memoryMb]).toEqual(['cpu', [], 16000]);
    // Three runs held, concurrency 3: the next waits whatever it needs.
    expect(ledger.check({})).toMatchObject({ ok: false, never: false, reason: 'busy with 3 runs' });

    ledger.release('a');
    expect(ledger.check({ memoryMb: 15500 })).toMatchObject({ ok: false, never: false });
    // A whole GPU: only one no held run uses (gpu1 still holds b).
    const whole = hold('whole', { gpu: true });
    expect(whole.machine.gpus.map((g) => g.index)).toEqual([0]);
    ledger.release('b');
    expect(hold('small', { gpuMemoryMb: 1000 }).machine.gpus.map((g) => g.index)).toEqual([1]);
  });
});

describe("ProjectCache (a worker's opened projects)", () => {
  it("keeps a project's registries between jobs until a registry file changes, appears or goes", async () => {
    const root = await mkdtemp(join(tmpdir(), 'vhb-projects-'));
    try {
      await writeTree(root, {
        'package.json': '{ "name": "p", "private": true, "vhb": { "runMode": "prod" } }',
        ...Object.fromEntries(Object.entries(vqaRegistries('http://127.0.0.1:1/v1')).map(([f, t]) => [`registries/${f}`, t])),
      });
      const cache = new ProjectCache();
      const first = await cache.open(root, 'prod', {});
      expect(first.config.root).toBe(root);
      expect((await cache.open(root, 'prod', {})).registry).toBe(first.registry);
      expect((await cache.open(root, 'dev', {})).config.runMode).toBe('dev');

      await writeTree(root, {
        'registries/models/m.yaml': 'name: m\nadapter: adapter-openai\nmodel_id: other-model\nendpoint: http://127.0.0.1:2/v1\n',
      });
      const edited = await cache.open(root, 'prod', {});
      expect(edited.registry).not.toBe(first.registry);
      expect(edited.registry.get('models', 'm')?.entry.model_id).toBe('other-model');
      await writeTree(root, { 'registries/models/n.yaml': 'name: n\nadapter: adapter-openai\nmodel_id: n\n' });
      const added = await cache.open(root, 'prod', {});
      expect(added.registry.get('models', 'n')).toBeDefined();
      await rm(join(root, 'registries/models/n.yaml'));
      expect((await cache.open(root, 'prod', {})).registry.get('models', 'n')).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const QUESTIONS = 6;
const skipped = REDIS_SERVER ? '' : ' — skipped: redis-server is not installed (apt-get install redis-server)';

describe.skipIf(!REDIS_SERVER)(`queue on a real redis-server${skipped}`, { timeout: 90_000 }, () => {
  let redis: RedisServer;
  let engine: TestEngine;
  let work: string;
  let connection: Redis;
  const workers: QueueWorker[] = [];
  const queues: Queue[] = [];

  beforeAll(async () => {
    for (const p of ['task-vqa', 'dataset-jsonl', 'adapter-openai', 'metric-exact-match', 'reporter-json']) {
      expect(existsSync(join(plugins, p, 'dist', 'index.js')), `build ${p} first`).toBe(true);
    }
    redis = await startRedis();
    engine = await startTestEngine();
    work = await mkdtemp(join(tmpdir(), 'vhb-queue-'));
    connection = await connectQueue(redis.url);
  });
  beforeEach(() => engine.reset());
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    for (const queue of queues) await queue.close();
    await connection?.quit();
    await engine?.close();
    await redis?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A project folder with runs `runs` (each on dataset d) in plan p, the model answering through the engine one request at a time. */
  async function project(name: string, runs: string[]): Promise<string> {
    const root = join(work, name);
    const files: Record<string, string> = {
      'package.json': '{ "name": "q", "private": true, "vhb": { "runMode": "prod" } }',
      'registries/experiments/p.yaml': `name: p\nruns: [${runs.join(', ')}]\n`,
      'data/items.jsonl': `${Array.from({ length: QUESTIONS }, (_, i) =>
        JSON.stringify({ id: `q${i}`, question: `${name} question ${i}`, references: [`echo: ${name} question ${i}`] }),
      ).join('\n')}\n`,
    };
    for (const [file, text] of Object.entries(vqaRegistries(engine.baseUrl, '{ concurrency: 1 }'))) files[`registries/${file}`] = text;
    for (const run of runs) files[`registries/runs/${run}.yaml`] = `name: ${run}\ntask: vqa\nmodel: m\ndataset: d\nreports: [json]\n`;
    await writeTree(root, files);
    await mkdir(join(root, 'results'), { recursive: true });
    return root;
  }

  async function worker(queueName: string, memoryMb: number, notices: WorkerNotice[], name: string): Promise<QueueWorker> {
    const started = await startQueueWorker({
      url: redis.url,
      queueName,
      name,
      machine: machine(memoryMb),
      env: {},
      refusedDelayMs: 200,
      busyDelayMs: 200,
      onNotice: (n) => notices.push(n),
    });
    workers.push(started);
    return started;
  }

  function queue(name: string): Queue {
    const q = new Queue(name, { connection });
    queues.push(q);
    return q;
  }

  it('adds each run once however often it is queued; a finished run is queued again', async () => {
    const root = await project('twice', ['r']);
    const cpu = queue('twice-cpu');
    const data = job({ root, run: 'r' });
    const first = await enqueueRuns(new Map([['cpu', cpu]]), [data]);
    const second = await enqueueRuns(new Map([['cpu', cpu]]), [data, data]);
    expect(first).toEqual([{ run: 'r', job: jobIdOf(data), class: 'cpu', state: 'added' }]);
    expect(second.map((q) => q.state)).toEqual(['queued', 'queued']);
    expect(await cpu.getJobCounts('wait', 'active', 'delayed')).toEqual({ wait: 1, active: 0, delayed: 0 });

    const notices: WorkerNotice[] = [];
    const w = await worker('twice', 8000, notices, 'w-twice');
    await until('the job to complete', async () => (await cpu.getJob(jobIdOf(data)))?.finishedOn !== undefined);
    expect(notices.filter((n) => n.type === 'job-end')).toHaveLength(1);
    expect(engine.counts.completions).toBe(QUESTIONS);

    const third = await enqueueRuns(new Map([['cpu', cpu]]), [data]);
    expect(third[0]?.state).toBe('added');
    await until('the second job to complete', () => notices.filter((n) => n.type === 'job-end').length === 2);
    // Run again from its folder: every item was answered, nothing is asked twice.
    expect(engine.counts.completions).toBe(QUESTIONS);
    await w.close();
  });

  it('a worker takes only the runs that fit its machine; the others wait for one that fits', async () => {
    const root = await project('fit', ['small', 'big']);
    const cpu = queue('fit-cpu');
    const small = job({ root, run: 'small' });
    const big = job({ root, run: 'big', resources: { memoryMb: 50_000, declaredBy: { memoryMb: 'model m' } } });
    await enqueueRuns(new Map([['cpu', cpu]]), [small, big]);

    const smallNotices: WorkerNotice[] = [];
    await worker('fit', 8000, smallNotices, 'w-small');
    await until(
      'the small worker to refuse the big run and finish the small one',
      () =>
        smallNotices.some((n) => n.type === 'job-end' && n.run === 'small') &&
        smallNotices.some((n) => n.type === 'job-refused' && n.run === 'big'),
    );
    const refused = smallNotices.find((n) => n.type === 'job-refused');
    expect(refused).toMatchObject({ never: true, reason: 'needs 50000 MB of memory (model m) but the machine has 8000 MB' });
    expect((await cpu.getJob(jobIdOf(big)))?.finishedOn).toBeUndefined();

    const bigNotices: WorkerNotice[] = [];
    await worker('fit', 64_000, bigNotices, 'w-big');
    await until('the big run to finish', async () => (await cpu.getJob(jobIdOf(big)))?.finishedOn !== undefined);
    expect(smallNotices.filter((n) => n.type === 'job-start').map((n) => n.type === 'job-start' && n.run)).toEqual(['small']);
    expect(bigNotices.find((n) => n.type === 'job-end')).toMatchObject({ run: 'big', outcome: { status: 'ok' } });
    expect((await cpu.getJob(jobIdOf(big)))?.returnvalue).toMatchObject({ run: 'big', status: 'ok' });
  });

  it('runOnQueue runs a plan on the workers and records it here: outcomes, events.jsonl, tracker', async () => {
    const root = await project('plan', ['r1', 'r2']);
    await worker('plan', 8000, [], 'w-plan');
    const config = projectConfig(root);
    const registry = await RegistryManager.load({ root, registriesDir: config.registriesDir, runMode: 'prod' });
    const plan = planExperiment(registry, config, 'p');
    const notices: QueueNotice[] = [];
    const events: string[] = [];
    const result = await runOnQueue({
      registry,
      host: new PluginHost({ root, cacheDir: config.cacheDir }),
      plan,
      config,
      url: redis.url,
      queueName: 'plan',
      pollMs: 200,
      onEvent: (e) => events.push(e.type),
      onNotice: (n) => notices.push(n),
    });
    expect(result.interrupted).toBe(false);
    expect(result.outcomes.map((o) => [o.run, o.status, o.summary?.items.succeeded])).toEqual([
      ['r1', 'ok', QUESTIONS],
      ['r2', 'ok', QUESTIONS],
    ]);
    expect(notices[0]).toMatchObject({ type: 'queued', url: redis.url, workers: { 'plan-cpu': 1 } });
    expect(notices.filter((n) => n.type === 'started').map((n) => n.type === 'started' && n.worker)).toEqual(['w-plan', 'w-plan']);
    expect(events.filter((t) => t === 'plugins-done')).toHaveLength(1);
    expect(events.filter((t) => t === 'run-end')).toHaveLength(2);
    const logged = await replayEvents(join(root, 'results/p/events.jsonl'));
    expect(logged.filter((e) => e.type === 'run-end').map((e) => e.run)).toEqual(['r1', 'r2']);
    expect(logged.filter((e) => e.type === 'run-event' && e.event.type === 'item')).toHaveLength(2 * QUESTIONS);
    expect(logged.filter((e) => e.type === 'stage-end' && e.stage === 'report')).toHaveLength(2);
    expect(existsSync(join(root, 'results/p/tracker.sqlite'))).toBe(true);
  });

  it("a run whose job fails on the worker is a failed outcome with the worker's reason", async () => {
    const root = await project('broken', ['r1']);
    const config = projectConfig(root);
    const registry = await RegistryManager.load({ root, registriesDir: config.registriesDir, runMode: 'prod' });
    const plan = planExperiment(registry, config, 'p');
    const workerNotices: WorkerNotice[] = [];
    const result = await runOnQueue({
      registry,
      host: new PluginHost({ root, cacheDir: config.cacheDir }),
      plan,
      config,
      url: redis.url,
      queueName: 'broken',
      pollMs: 200,
      onNotice: (notice) => {
        if (notice.type !== 'queued') return;
        // Queued, then the registries change under it: the worker finds the plan broken.
        void writeTree(root, { 'registries/runs/r1.yaml': 'name: r1\ntask: vqa\nmodel: gone\ndataset: d\n' }).then(() =>
          worker('broken', 8000, workerNotices, 'w-broken'),
        );
      },
    });
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        run: 'r1',
        status: 'failed',
        code: 'VHB_E_QUEUE_JOB_FAILED',
        reason: expect.stringContaining('no longer valid'),
      }),
    ]);
    expect(workerNotices.find((n) => n.type === 'job-failed')).toMatchObject({ code: 'VHB_E_QUEUE_PLAN' });
  });

  it('a worker that stops puts its run back in the queue; another resumes it and asks no answered item again', async () => {
    engine.behaviour.ttftMs = 150;
    const root = await project('release', ['slow']);
    const cpu = queue('release-cpu');
    const data = job({ root, run: 'slow', fresh: true });
    await enqueueRuns(new Map([['cpu', cpu]]), [data]);
    const first: WorkerNotice[] = [];
    const leaving = await worker('release', 8000, first, 'w-leaving');
    const predictions = join(root, 'results/p/slow/predictions.jsonl');
    await until('two answers', async () => (await readPredictions(predictions)).size >= 2);
    await leaving.close();
    expect(first.map((n) => n.type)).toEqual(['job-start', 'job-released']);
    expect(await (await cpu.getJob(jobIdOf(data)))?.getState()).toBe('waiting');
    // `fresh` was done once: the run is resumed, not started over.
    expect((await cpu.getJob(jobIdOf(data)))?.data.fresh).toBe(false);
    const answered = (await readPredictions(predictions)).size;
    expect(answered).toBeLessThan(QUESTIONS);

    const second: WorkerNotice[] = [];
    await worker('release', 8000, second, 'w-staying');
    await until('the run to finish', () => second.some((n) => n.type === 'job-end'));
    expect(second.find((n) => n.type === 'job-end')).toMatchObject({
      outcome: { status: 'ok', summary: { items: { succeeded: QUESTIONS } } },
    });
    expect((await readFile(predictions, 'utf8')).trim().split('\n')).toHaveLength(QUESTIONS);
    // Each item answered once: the run's first worker stopped its request in flight, unanswered.
    expect([...engine.counts.completedByPrompt.values()]).toEqual(Array(QUESTIONS).fill(1));
    engine.behaviour.ttftMs = 0;
  });
});
