// `vhb run --queue` and `vhb worker` as users run them: the real bin in separate processes, a real
// redis-server on 127.0.0.1, the VQA plugins of this checkout against the test engine.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAnswer, lastUserText, startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/index.js';
import * as cli from '../src/index.js';

const bin = join(import.meta.dirname, '../dist/bin.js');
const plugins = join(import.meta.dirname, '../../../plugins');
// The runner tests' redis-server starter, loaded by path (a test helper, not part of @vhb/runner's API).
const { REDIS_SERVER, startRedis } = (await import(join(import.meta.dirname, '../../runner/test/helpers/redis.ts'))) as {
  REDIS_SERVER: string | undefined;
  startRedis(): Promise<{ url: string; stop(): Promise<void> }>;
};
const RUNS = ['r1', 'r2', 'r3', 'r4'];
const ITEMS = 6;
/** The last user message the engine sees for item i of a run: the VQA task's default prompt, filled in. */
const promptOf = (run: string, i: number) => `${run} question ${i}\nAnswer the question using a single word or phrase.`;

/** A child process of ours with its output so far, and its exit. */
interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => text, exited };
}

async function until(what: string, check: () => boolean, child?: Child, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${child ? `:\n${child.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const vhb = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) =>
  start(process.execPath, [bin, ...args], { cwd, ...(env ? { env } : {}) });

const skipped = REDIS_SERVER ? '' : ' — skipped: redis-server is not installed (apt-get install redis-server)';

describe.skipIf(!REDIS_SERVER)(`vhb run --queue with vhb worker processes${skipped}`, { timeout: 180_000 }, () => {
  let redis: { url: string; stop(): Promise<void> } | undefined;
  let url: string;
  let engine: TestEngine;
  let project: string;
  const workers = new Map<string, Child>();

  beforeAll(async () => {
    expect(existsSync(bin), 'build the cli first').toBe(true);
    redis = await startRedis();
    url = redis.url;
    // Each request takes 200 ms, so a run of 6 items (one request at a time) takes over a second.
    engine = await startTestEngine({ behaviour: { ttftMs: 200 } });

    project = await mkdtemp(join(tmpdir(), 'vhb-queue-cli-'));
    const files: Record<string, string> = {
      'package.json': '{ "name": "queued", "private": true, "vhb": { "runMode": "prod" } }',
      'registries/tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
      'registries/models/m.yaml': `name: m\nadapter: adapter-openai\nmodel_id: test-model\nendpoint: ${engine.baseUrl}\noptions: { concurrency: 1 }\n`,
      'registries/metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
      'registries/reports/json.yaml': 'name: json\npackage: reporter-json\n',
      'registries/experiments/p.yaml': `name: p\nruns: [${RUNS.join(', ')}]\n`,
      'registries/experiments/later.yaml': 'name: later\nruns: [l1, l2]\n',
    };
    for (const [name, kind] of [
      ['task-vqa', 'task'],
      ['dataset-jsonl', 'dataset'],
      ['adapter-openai', 'adapter'],
      ['metric-exact-match', 'metric'],
      ['reporter-json', 'reporter'],
    ]) {
      files[`registries/packages/${name}.yaml`] =
        `name: ${name}\nkind: ${kind}\nsource: { type: local, path: ${join(plugins, name as string)} }\n`;
    }
    for (const run of [...RUNS, 'l1', 'l2']) {
      files[`registries/datasets/${run}.yaml`] =
        `name: ${run}\npackage: dataset-jsonl\npath: data/${run}\noptions: { manifest: items.jsonl }\n`;
      files[`registries/runs/${run}.yaml`] = `name: ${run}\ntask: vqa\nmodel: m\ndataset: ${run}\nreports: [json]\n`;
      files[`data/${run}/items.jsonl`] = `${Array.from({ length: ITEMS }, (_, i) =>
        JSON.stringify({ id: `q${i}`, question: `${run} question ${i}`, references: [`echo: ${run} question ${i}`] }),
      ).join('\n')}\n`;
    }
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(project, file, '..'), { recursive: true });
      await writeFile(join(project, file), text);
    }
  });

  afterAll(async () => {
    for (const worker of workers.values()) worker.process.kill('SIGKILL');
    await redis?.stop();
    await engine?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  /** Starts `vhb worker` (recovering a killed worker's run within seconds) and waits until it listens. */
  async function startWorker(name: string): Promise<Child> {
    const worker = vhb(['worker', '--queue', url, '--name', name, '--lock-duration', '4000', '--stalled-interval', '1000'], project, {
      ...process.env,
      // Its requests carry this key, so the engine can tell the workers apart.
      OPENAI_API_KEY: `key-${name}`,
    });
    workers.set(name, worker);
    await until(`worker ${name} to listen`, () => worker.output().includes('waiting for runs'), worker);
    return worker;
  }

  it('finishes the plan when a worker is SIGKILLed mid-run: every item answered, none asked twice', async () => {
    await Promise.all(['w1', 'w2', 'w3'].map(startWorker));
    // The first worker to send its third request is killed as the request arrives: two items of its
    // run are answered and recorded, the third is in flight and never answered.
    const sent = new Map<string, number>();
    let killed: string | undefined;
    let inFlightAtKill: string | undefined;
    engine.behaviour.answer = (body) => {
      const key = String(engine.requests.at(-1)?.headers.authorization ?? '').replace('Bearer key-', '');
      sent.set(key, (sent.get(key) ?? 0) + 1);
      if (!killed && sent.get(key) === 3 && workers.has(key)) {
        killed = key;
        inFlightAtKill = lastUserText(body.messages);
        workers.get(key)?.process.kill('SIGKILL');
      }
      return defaultAnswer(body);
    };

    const run = vhb(['run', 'p', '--queue', url], project);
    const code = await run.exited;
    const output = run.output();
    expect(code, output).toBe(0);
    expect(killed, 'a worker was killed').toBeDefined();
    expect(await workers.get(killed as string)?.exited).toBeNull();

    // The run of the killed worker: started there, then again on another worker after the stalled check.
    const starts = [...output.matchAll(/▶ (r\d) on worker (w\d)/g)].map((m) => [m[1], m[2]] as const);
    const victim = starts.find(([, worker]) => worker === killed)?.[0];
    expect(victim, output).toBeDefined();
    const again = starts.filter(([run]) => run === victim).map(([, worker]) => worker);
    expect(again, output).toHaveLength(2);
    expect(again[1]).not.toBe(killed);
    expect(output).toContain(`↻ ${victim}: its worker stopped answering`);

    // The final table lists every run with all its items; every run's folder holds every answer once.
    for (const r of RUNS) {
      expect(output).toMatch(new RegExp(`\\n${r}\\s+${ITEMS}\\s+1\\.000`));
      const lines = (await readFile(join(project, 'results/p', r, 'predictions.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).id).sort()).toEqual(Array.from({ length: ITEMS }, (_, i) => `q${i}`));
    }
    // Nothing sent twice but the one request the killed worker had in flight, which was never answered.
    const prompts = RUNS.flatMap((r) => Array.from({ length: ITEMS }, (_, i) => promptOf(r, i)));
    expect(engine.counts.completions).toBe(RUNS.length * ITEMS);
    for (const prompt of prompts) expect(engine.counts.completedByPrompt.get(prompt), prompt).toBe(1);
    const twice = prompts.filter((p) => (engine.counts.byPrompt.get(p) ?? 0) > 1);
    expect(twice).toHaveLength(1);
    expect(twice[0]).toBe(inFlightAtKill);
    const requests = [...engine.counts.byPrompt.values()].reduce((a, b) => a + b, 0);
    expect(requests).toBe(RUNS.length * ITEMS + 1);

    // The enqueuer kept the plan's event log: every run ends there once.
    const events = (await readFile(join(project, 'results/p/events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      events
        .filter((e) => e.type === 'run-end')
        .map((e) => e.run)
        .sort(),
    ).toEqual(RUNS);

    // SIGTERM: the surviving workers stop cleanly.
    for (const name of ['w1', 'w2', 'w3'].filter((w) => w !== killed)) {
      const worker = workers.get(name) as Child;
      worker.process.kill('SIGTERM');
      expect(await worker.exited, worker.output()).toBe(0);
      expect(worker.output()).toContain('worker stopped');
      workers.delete(name);
    }
    engine.behaviour.answer = defaultAnswer;
  });

  it('Ctrl-C stops waiting and leaves the runs queued; a worker started later runs them', async () => {
    const first = vhb(['run', 'later', '--queue', url], project);
    await until('the runs to be queued', () => first.output().includes('no worker listens on vhb-cpu yet'), first);
    expect(first.output()).toContain(`queued 2 runs on ${url} · vhb-cpu: 0 workers`);
    first.process.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.output()).toContain('stopped waiting — the runs stay queued');

    // Queued again: the jobs waiting from the first command are not added twice.
    const second = vhb(['run', 'later', '--queue', url], project);
    await until('the runs to be found queued', () => second.output().includes('queued 2 runs'), second);
    expect(second.output()).toContain(`queued 2 runs on ${url} (2 already queued)`);
    await startWorker('w4');
    expect(await second.exited, second.output()).toBe(0);
    for (const r of ['l1', 'l2']) expect(second.output()).toMatch(new RegExp(`\\n${r}\\s+${ITEMS}\\s+1\\.000`));
  });
});

describe('vhb run --queue / vhb worker input', () => {
  async function main(args: string[]): Promise<{ code: number; err: string }> {
    const err: string[] = [];
    const output: Output = { out: () => {}, err: (l) => err.push(l), interactive: false, debug: false };
    const code = await cli.main(['node', 'vhb', ...args], () => output);
    return { code, err: err.join('\n') };
  }

  it('refuses a queue URL that is not Redis (exit 2) and an unreachable one (exit 1), never showing the password', async () => {
    const bad = await main(['worker', '--queue', 'http://:hunter2@host:6379']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not a Redis URL');
    const down = await main(['worker', '--queue', 'redis://:hunter2@127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach the queue at redis://:***@127.0.0.1:1');
    expect(`${bad.err}${down.err}`).not.toContain('hunter2');
    expect((await main(['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0'])).code).toBe(2);
  });
});
