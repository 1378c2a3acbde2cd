/**
 * What `bench:queue` stands on: a redis-server of its own, worker processes, and a project folder
 * whose runs use this checkout's VQA plugins against whatever endpoint each worker is given.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@vhb-tools/registry';

/** A child process the benchmark started; `stop()` sends SIGTERM (SIGKILL after 10 s) and waits for it to exit. */
export interface Child {
  pid: number;
  stop(): Promise<void>;
}

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Spawns `file args`, resolves once its stdout has a line matching `ready` (the match's first group, if any). */
async function startChild(
  what: string,
  file: string,
  args: string[],
  ready: RegExp,
  env = process.env,
): Promise<Child & { found: string }> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 8000) stderr += chunk;
    // A worker's failures are the benchmark's business: show them as they come.
    if (what.startsWith('worker')) process.stderr.write(chunk);
  });
  const found = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${what} did not start within 60 s: ${stderr.slice(-500)}`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 8000) stdout += chunk;
      const match = ready.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${what} exited (status ${code}) before it was ready: ${stderr.trim().slice(-500)}`)));
  });
  return { pid: child.pid as number, found, stop: () => stopChild(child) };
}

/** redis-server on a free 127.0.0.1 port, nothing written to disk. */
export async function startRedis(): Promise<Child & { url: string }> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await findFreePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const redis = await startChild('redis-server', REDIS_SERVER, args, /Ready to accept connections/);
  return { ...redis, url: `redis://127.0.0.1:${port}` };
}

/** This package's folder, from src/queue/ (tests) and dist/queue/ alike. */
const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/** A worker process (the built `dist/queue/worker-process.js`) whose model endpoint is `endpoint`. */
export function startWorker(url: string, name: string, endpoint: string): Promise<Child> {
  const script = join(PACKAGE, 'dist', 'queue', 'worker-process.js');
  return startChild(`worker ${name}`, process.execPath, [script, url, name], /ready/, { ...process.env, VHB_OPENAI_BASE_URL: endpoint });
}

/** This checkout's plugins folder. */
const PLUGINS = join(PACKAGE, '..', '..', 'plugins');

/**
 * A project folder: dataset `d` of `items` questions; model `m` (adapter-openai, not streamed,
 * `slots` requests in flight, endpoint from each worker's VHB_OPENAI_BASE_URL); one plan per entry
 * of `plans` (name → number of runs), its runs `<plan>-<i>` with the response cache off, so every
 * item of every run is a request.
 */
export async function writeProject(root: string, items: number, slots: number, plans: Record<string, number>): Promise<void> {
  const files: Record<string, string> = {
    'package.json': '{ "name": "bench-queue", "private": true, "vhb": { "runMode": "prod" } }',
    'registries/tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
    'registries/datasets/d.yaml': 'name: d\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n',
    'registries/models/m.yaml': `name: m\nadapter: adapter-openai\nmodel_id: test-model\noptions: { concurrency: ${slots}, stream: false }\n`,
    'registries/metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
    'registries/reports/json.yaml': 'name: json\npackage: reporter-json\n',
    'data/items.jsonl': `${Array.from({ length: items }, (_, i) =>
      JSON.stringify({ id: `q${i}`, question: `question ${i}`, references: [`echo: question ${i}`] }),
    ).join('\n')}\n`,
  };
  for (const [name, kind] of [
    ['task-vqa', 'task'],
    ['dataset-jsonl', 'dataset'],
    ['adapter-openai', 'adapter'],
    ['metric-exact-match', 'metric'],
    ['reporter-json', 'reporter'],
  ] as const) {
    files[`registries/packages/${name}.yaml`] = `name: ${name}\nkind: ${kind}\nsource: { type: local, path: ${join(PLUGINS, name)} }\n`;
  }
  for (const [plan, runs] of Object.entries(plans)) {
    const names = Array.from({ length: runs }, (_, i) => `${plan}-${i}`);
    files[`registries/experiments/${plan}.yaml`] = `name: ${plan}\nruns: [${names.join(', ')}]\n`;
    for (const run of names) {
      files[`registries/runs/${run}.yaml`] =
        `name: ${run}\ntask: vqa\nmodel: m\ndataset: d\nreports: [json]\ninference: { cache: false }\n`;
    }
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
}
