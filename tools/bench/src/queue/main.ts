#!/usr/bin/env node
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadProjectConfig, PluginHost, RegistryManager } from '@vhb/core';
import { type ExperimentResult, planExperiment, runOnQueue } from '@vhb/runner';
/**
 * `bench:queue`: how throughput scales with queue workers (`vhb run --queue` / `vhb worker`). Each
 * worker process drives its own simulated GPU (`gpu.ts`: a fixed service time per request, a few
 * requests served at once, the rest queued), so items per second are bound by the "GPUs", not by
 * the machine's cores. The same plan size runs with 1 worker, then with 4, in one invocation; the
 * ratio is the figure (goal ≥ 3.5×).
 */
import { parseBenchArgs } from '../bench-args.js';
import { processCpu } from '../proc-cpu.js';
import { tableLines } from '../text-table.js';
import { type SimulatedGpu, startSimulatedGpu } from './gpu.js';
import { type Child, REDIS_SERVER, startRedis, startWorker, writeProject } from './setup.js';

/** The issue's goal: 4 workers give at least this many times the items per second of 1. */
export const GOAL = 3.5;

export interface QueueBenchOptions {
  /** Runs per timed plan (one queue job each). */
  runs: number;
  /** Items per run. */
  items: number;
  /** The engine's service time per request, ms. */
  serviceMs: number;
  /** Requests each GPU serves at once (the rest wait in its queue). */
  slots: number;
  /** The worker counts compared; the first is the baseline. */
  workers: number[];
}

export const DEFAULTS: QueueBenchOptions = { runs: 16, items: 200, serviceMs: 20, slots: 4, workers: [1, 4] };
/** `--quick`: tiny sizes, to check that it works. */
export const QUICK: Partial<QueueBenchOptions> = { runs: 4, items: 10 };

export interface PhaseResult {
  workers: number;
  items: number;
  seconds: number;
  rate: number;
  /** Requests each worker's GPU answered in the timed part. */
  perGpu: number[];
  /** The most requests any GPU served at once (never above `slots`). */
  peakInService: number;
  /** Runs that did not end ok with every item answered. */
  bad: string[];
  /** CPU time per item in the timed part, µs: the workers together, Redis, and this process (enqueuer and engines); null where unknown. */
  cpu: { workers: number | null; redis: number | null; enqueuer: number };
}

export interface QueueBenchResult {
  options: QueueBenchOptions;
  phases: PhaseResult[];
  load: [number, number];
}

/** Plans a project's plan and runs it on the queue; resolves with the outcomes and the seconds from queued to done. */
async function queuePlan(root: string, url: string, plan: string, fresh: boolean): Promise<{ result: ExperimentResult; seconds: number }> {
  const config = await loadProjectConfig(root);
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const planned = planExperiment(registry, config, plan);
  let queuedAt = 0;
  const result = await runOnQueue({
    registry,
    host: new PluginHost({ root: config.root, cacheDir: config.cacheDir }),
    plan: planned,
    config,
    url,
    fresh,
    pollMs: 500,
    eventsFile: false,
    tracker: false,
    onNotice: (notice) => {
      if (notice.type === 'queued') queuedAt = performance.now();
    },
  });
  return { result, seconds: (performance.now() - queuedAt) / 1000 };
}

/** One phase: `count` workers (each with engine i), an untimed warm-up plan, then the timed plan. */
async function phase(
  count: number,
  options: QueueBenchOptions,
  root: string,
  redis: Child & { url: string },
  gpus: SimulatedGpu[],
): Promise<PhaseResult> {
  const url = redis.url;
  const workers: Child[] = [];
  try {
    for (let i = 0; i < count; i += 1) workers.push(await startWorker(url, `w${i + 1}`, (gpus[i] as SimulatedGpu).baseUrl));
    // Each worker loads the plugins once, on its first run: not part of the figure.
    await queuePlan(root, url, `warm${count}`, true);
    for (const gpu of gpus) gpu.reset();
    const sum = (values: (number | null)[]) => (values.includes(null) ? null : (values as number[]).reduce((a, b) => a + b, 0));
    const readCpu = () => ({ workers: sum(workers.map((w) => processCpu(w.pid))), redis: processCpu(redis.pid), self: process.cpuUsage() });
    const before = readCpu();
    const { result, seconds } = await queuePlan(root, url, `timed${count}`, true);
    const after = readCpu();
    const items = options.runs * options.items;
    const self = process.cpuUsage(before.self);
    const per = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / items);
    const cpu = {
      workers: per(before.workers, after.workers),
      redis: per(before.redis, after.redis),
      enqueuer: (self.user + self.system) / items,
    };
    const bad = result.outcomes
      .filter((o) => o.status !== 'ok' || o.summary?.items.succeeded !== options.items)
      .map((o) => `${o.run}: ${o.status} ${o.reason ?? `${o.summary?.items.succeeded}/${options.items} items`}`);
    const used = gpus.slice(0, count);
    const perGpu = used.map((g) => g.counts.completions);
    const peakInService = Math.max(...used.map((g) => g.counts.peakInService));
    return { workers: count, items, seconds, rate: items / seconds, perGpu, peakInService, bad, cpu };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** Runs every phase; the servers are stopped and the temporary folder removed whatever happens. */
export async function runQueueBench(options: QueueBenchOptions): Promise<QueueBenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'vhb-bench-queue-'));
  const start = loadavg()[0] as number;
  const most = Math.max(...options.workers);
  const gpus: SimulatedGpu[] = [];
  let redis: (Child & { url: string }) | undefined;
  try {
    const plans: Record<string, number> = {};
    for (const count of options.workers) {
      plans[`warm${count}`] = 2 * count;
      plans[`timed${count}`] = options.runs;
    }
    // Twice the GPU's slots in flight from each worker: the GPU's queue never runs dry between requests.
    await writeProject(work, options.items, 2 * options.slots, plans);
    redis = await startRedis();
    for (let i = 0; i < most; i += 1) gpus.push(await startSimulatedGpu({ serviceMs: options.serviceMs, slots: options.slots }));
    const phases: PhaseResult[] = [];
    for (const count of options.workers) phases.push(await phase(count, options, work, redis, gpus));
    return { options, phases, load: [start, loadavg()[0] as number] };
  } finally {
    for (const gpu of gpus) await gpu.close();
    await redis?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** The report: items per second per worker count, against the GPUs' bound and the first count. */
export function formatQueue(result: QueueBenchResult): string {
  const { options, phases } = result;
  const perGpu = (options.slots * 1000) / options.serviceMs;
  const base = phases[0] as PhaseResult;
  const rows = [
    [
      'workers',
      'items',
      'seconds',
      'items/s',
      'GPU bound',
      'of bound',
      `vs ${base.workers} worker${base.workers === 1 ? '' : 's'}`,
      'CPU µs/item',
      'requests per GPU',
    ],
    ...phases.map((p) => [
      String(p.workers),
      String(p.items),
      p.seconds.toFixed(2),
      p.rate.toFixed(0),
      String(Math.round(perGpu * p.workers)),
      `${((100 * p.rate) / (perGpu * p.workers)).toFixed(0)}%`,
      `${(p.rate / base.rate).toFixed(2)}×`,
      [p.cpu.workers, p.cpu.redis, p.cpu.enqueuer].map((v) => (v === null ? '?' : v.toFixed(0))).join(' / '),
      p.perGpu.join(' / '),
    ]),
  ];
  const last = phases.at(-1) as PhaseResult;
  const ratio = last.rate / base.rate;
  const sent = phases.map((p) => `${p.perGpu.reduce((a, b) => a + b, 0)}/${p.items}`).join(', ');
  const peak = Math.max(...phases.map((p) => p.peakInService));
  const problems = phases.flatMap((p) => p.bad.map((b) => `✖ ${p.workers} workers: ${b}`));
  return [
    `VLMHyperBench queue scaling benchmark: ${options.runs} runs × ${options.items} items per timed plan, one queue job per run`,
    `each worker (its own process, one run at a time, ${2 * options.slots} requests in flight) drives its own simulated GPU: ${options.slots} requests served at once for ${options.serviceMs} ms each, the rest queued → at most ${perGpu.toFixed(0)} items/s per GPU`,
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), load average ${result.load[0].toFixed(2)} at start, ${result.load[1].toFixed(2)} at end; Redis, the workers, the simulated GPUs and the enqueuer share the CPUs`,
    'timed: from the runs being queued to the last outcome at the enqueuer (workers warm: an untimed plan ran first)',
    'CPU µs/item: CPU time per item in the timed part of the workers together / Redis / this process (the enqueuer and the simulated GPUs)',
    '',
    ...tableLines(rows),
    '',
    `requests answered / items: ${sent}; at most ${peak} requests in service on a GPU at once (slots: ${options.slots})`,
    ...problems,
    `goal: ${last.workers} workers ≥ ${GOAL}× the items/s of ${base.workers}: ${ratio.toFixed(2)}× — ${ratio >= GOAL ? 'met' : 'NOT met'}`,
    '',
  ].join('\n');
}

export const QUEUE_USAGE = `Usage: bench:queue [--runs N] [--items N] [--service-ms N] [--slots N] [--workers A,B] [--quick]

  --runs N        runs (queue jobs) per timed plan (default ${DEFAULTS.runs})
  --items N       items per run (default ${DEFAULTS.items})
  --service-ms N  the simulated GPU's time per request, ms (default ${DEFAULTS.serviceMs})
  --slots N       requests a GPU serves at once (default ${DEFAULTS.slots}); each worker keeps twice as many in flight
  --workers A,B   worker counts to compare, the first being the baseline (default ${DEFAULTS.workers.join(',')})
  --quick         tiny sizes (${QUICK.runs} runs × ${QUICK.items} items), to check that it works

Needs redis-server (apt-get install redis-server).
`;

/** Parses the arguments, runs the benchmark and prints the report; 0, 2 for bad arguments or no redis-server. */
export async function queueMain(
  args: string[],
  stdout: { write(text: string): unknown } = process.stdout,
  stderr: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  const options = parseBenchArgs(
    args,
    {
      name: 'bench:queue',
      usage: QUEUE_USAGE,
      defaults: DEFAULTS,
      quick: QUICK,
      numeric: { '--runs': 'runs', '--items': 'items', '--service-ms': 'serviceMs', '--slots': 'slots' },
      other: (arg, value, options) => {
        if (arg !== '--workers' || value === undefined || !/^[1-9]\d*(,[1-9]\d*)+$/.test(value)) return 0;
        options.workers = value.split(',').map(Number);
        return 2;
      },
    },
    stdout,
    stderr,
  );
  if (typeof options === 'number') return options;
  if (!REDIS_SERVER) {
    stderr.write('bench:queue: redis-server is not installed (apt-get install redis-server)\n');
    return 2;
  }
  stdout.write(formatQueue(await runQueueBench(options)));
  return 0;
}

// Run as a script (node dist/queue/main.js), not when imported.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await queueMain(process.argv.slice(2));
}
