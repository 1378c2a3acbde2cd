#!/usr/bin/env node
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
/**
 * `bench:inference`: requests per second at concurrency 64 against the test engine answering at
 * once, in one run: (a) autocannon, (b) a bare undici Pool (the baseline), (c) the runner
 * (`executeRun`, every prediction written to predictions.jsonl) and (d) the runner through the
 * gateway, with two references for (d): (e) the Pool through the gateway and (f) the Pool through
 * a bare proxy; then the TTFT the runner measures against the delay the engine was told to add,
 * with a bare Pool's TTFT and an idle timer's lateness as the floor the machine sets.
 * The engine, the gateway and the proxy run in their own processes, as in real use.
 */
import { parseBenchArgs } from '../bench-args.js';
import { tableLines } from '../text-table.js';
import {
  autocannonPhase,
  cpuMeter,
  fetchPhase,
  idleTimerLateness,
  type PhaseResult,
  poolPhase,
  poolTtftPhase,
  type RunnerResult,
  runnerPhase,
  writeDataset,
} from './phases.js';
import { type ServerProcess, startEngineProcess, startGatewayProcess, startProxyProcess } from './processes.js';
import { lateness, mergePhases, stats, TTFT_MS, type TtftFloor, type TtftResult, type TtftStats, ttftFloor, ttftStats } from './results.js';

export { TTFT_MS } from './results.js';

/** The issue's goals, as fractions of the undici Pool baseline, and for the TTFT error. */
export const GOALS = { runner: 0.9, gateway: 0.6, ttftP99Ms: 2 } as const;

export interface InferenceOptions {
  /** Requests (items) timed per phase. */
  requests: number;
  /** Connections and requests in flight in the throughput phases. */
  concurrency: number;
  /** Items of the TTFT phase. */
  ttftItems: number;
  /** Concurrency of the TTFT phase. */
  ttftConcurrency: number;
  /** Also time the global fetch. */
  fetch: boolean;
  /** Rounds (b) to (f) are timed in, interleaved, each with `requests / rounds` requests. */
  rounds: number;
}

export const DEFAULTS: InferenceOptions = { requests: 60_000, concurrency: 64, ttftItems: 500, ttftConcurrency: 8, fetch: true, rounds: 3 };
/** `--quick`: tiny sizes, for the test. */
export const QUICK: Partial<InferenceOptions> = { requests: 400, ttftItems: 40, fetch: false, rounds: 1 };

export interface InferenceResult {
  options: InferenceOptions;
  autocannon: PhaseResult;
  pool: PhaseResult;
  fetch?: PhaseResult;
  runner: RunnerResult;
  gateway: RunnerResult;
  /** (e) the bare Pool through the gateway. */
  poolGateway: PhaseResult;
  /** (f) the bare Pool through the bare proxy: the floor of any gateway in Node. */
  proxy: PhaseResult;
  ttft: TtftResult;
  /** The bare Pool's TTFT against the same engine. */
  ttftFloor: TtftFloor;
  /** How late (ms) an idle 1 ms timer fired in this process. */
  idle: TtftStats;
  load: [number, number];
}

/** How long the idle timer's lateness is sampled. */
const IDLE_MS = 2000;

/** Runs every phase; the servers are stopped and the temporary folder removed whatever happens. */
export async function runInferenceBench(options: InferenceOptions): Promise<InferenceResult> {
  const work = await mkdtemp(join(tmpdir(), 'vhb-bench-inference-'));
  const servers: ServerProcess[] = [];
  const start = loadavg()[0] as number;
  try {
    const perRound = Math.ceil(options.requests / options.rounds);
    const warmItems = Math.max(options.concurrency * 2, Math.round(perRound / 10));
    const ttftWarm = Math.max(options.ttftConcurrency * 2, Math.round(options.ttftItems / 10));
    await writeDataset(join(work, 'data-warm'), warmItems);
    await writeDataset(join(work, 'data'), perRound);
    await writeDataset(join(work, 'data-ttft-warm'), ttftWarm);
    await writeDataset(join(work, 'data-ttft'), options.ttftItems, true);

    const engine = await startEngineProcess();
    servers.push(engine);
    const meter = cpuMeter({ engine: engine.pid });
    const a = await autocannonPhase(engine.baseUrl, options.requests, options.concurrency, meter);
    const fetched = options.fetch
      ? await fetchPhase(engine.baseUrl, Math.round(options.requests / 5), options.concurrency, meter)
      : undefined;

    const runner = async (baseUrl: string, name: string, meter: ReturnType<typeof cpuMeter>) => {
      const common = { baseUrl, concurrency: options.concurrency, stream: false };
      await runnerPhase({ ...common, datasetDir: join(work, 'data-warm'), items: warmItems, outDir: join(work, `${name}-warm`) });
      return runnerPhase({ ...common, datasetDir: join(work, 'data'), items: perRound, outDir: join(work, name), meter });
    };
    const gateway = await startGatewayProcess(work, engine.baseUrl, 'test-model');
    servers.push(gateway);
    const gatewayMeter = cpuMeter({ engine: engine.pid, gateway: gateway.pid });
    const proxy = await startProxyProcess(work, engine.baseUrl);
    servers.push(proxy);
    const proxyMeter = cpuMeter({ engine: engine.pid, gateway: proxy.pid });
    // (b) to (f) in interleaved rounds: load from elsewhere that comes and goes hits them all alike.
    const b: PhaseResult[] = [];
    const c: RunnerResult[] = [];
    const d: RunnerResult[] = [];
    const e: PhaseResult[] = [];
    const f: PhaseResult[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      b.push(await poolPhase(engine.baseUrl, perRound, options.concurrency, meter));
      c.push(await runner(engine.baseUrl, `runner-${round}`, meter));
      d.push(await runner(gateway.baseUrl, `gateway-${round}`, gatewayMeter));
      e.push(await poolPhase(gateway.baseUrl, perRound, options.concurrency, gatewayMeter));
      f.push(await poolPhase(proxy.baseUrl, perRound, options.concurrency, proxyMeter));
    }
    await proxy.stop();
    await gateway.stop();
    await engine.stop();

    const slow = await startEngineProcess({ ttftMs: TTFT_MS, logFirstContent: true });
    servers.push(slow);
    const ttftRun = (datasetDir: string, items: number, outDir: string) =>
      runnerPhase({
        baseUrl: slow.baseUrl,
        datasetDir,
        items,
        outDir,
        concurrency: options.ttftConcurrency,
        stream: true,
        keepRecords: true,
      });
    // Untimed first: the engine process is new, and its first answers run code not yet optimised.
    await ttftRun(join(work, 'data-ttft-warm'), ttftWarm, join(work, 'ttft-warm'));
    const t = await ttftRun(join(work, 'data-ttft'), options.ttftItems, join(work, 'ttft'));
    await poolTtftPhase(slow.baseUrl, 0, ttftWarm, options.ttftConcurrency);
    const floor = await poolTtftPhase(slow.baseUrl, ttftWarm, options.ttftItems, options.ttftConcurrency);
    const idle = stats(await idleTimerLateness(IDLE_MS));
    // Read after the idle wait: by then the engine's last log lines have come through its pipe.
    const late = lateness(slow.output());
    return {
      options,
      autocannon: a,
      pool: mergePhases(b),
      ...(fetched ? { fetch: fetched } : {}),
      runner: mergePhases(c),
      gateway: mergePhases(d),
      poolGateway: mergePhases(e),
      proxy: mergePhases(f),
      ttft: ttftStats(t, options.ttftConcurrency, late),
      ttftFloor: ttftFloor(floor, late),
      idle,
      load: [start, loadavg()[0] as number],
    };
  } finally {
    for (const server of servers) await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
const ms = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(2)} ms`;

/** The report: each phase's rate, the ratios against the Pool baseline, the goals, the TTFT error. */
export function formatInference(result: InferenceResult): string {
  const { options, pool } = result;
  const vs = (phase: PhaseResult) => pct(phase.rate / pool.rate);
  const goal = (phase: PhaseResult, fraction: number) =>
    `≥ ${Math.round(fraction * 100)}% of (b): ${phase.rate / pool.rate >= fraction ? 'met' : 'NOT met'}`;
  const written = (run: RunnerResult) =>
    `${int(run.lines)}/${int(run.items)} lines${run.lines === run.items ? '' : ' ✖'}${run.errors > 0 ? `, ${int(run.errors)} errors` : ''}`;
  const plain = (phase: PhaseResult) =>
    `${int(phase.requests)} in ${phase.seconds.toFixed(2)} s${phase.errors > 0 ? `, ${int(phase.errors)} errors` : ''}`;
  const cpu = (phase: PhaseResult) =>
    ['client', 'gateway', 'engine']
      .filter((name) => name in phase.cpu)
      .map((name) => {
        const value = phase.cpu[name];
        return value === null || value === undefined ? '?' : value.toFixed(0);
      })
      .join(' / ');
  const rows = [
    ['phase', 'client', 'req/s', 'vs (b)', 'CPU µs/req', 'timed', 'goal'],
    [
      '(a)',
      'autocannon → engine',
      int(result.autocannon.rate),
      vs(result.autocannon),
      cpu(result.autocannon),
      plain(result.autocannon),
      '-',
    ],
    ['(b)', 'undici Pool → engine (baseline)', int(pool.rate), '100.0%', cpu(pool), plain(pool), '-'],
    ...(result.fetch
      ? [['', 'global fetch → engine', int(result.fetch.rate), vs(result.fetch), cpu(result.fetch), plain(result.fetch), '-']]
      : []),
    [
      '(c)',
      'runner → engine',
      int(result.runner.rate),
      vs(result.runner),
      cpu(result.runner),
      `${plain(result.runner)}, predictions.jsonl ${written(result.runner)}`,
      goal(result.runner, GOALS.runner),
    ],
    [
      '(d)',
      'runner → gateway → engine',
      int(result.gateway.rate),
      vs(result.gateway),
      cpu(result.gateway),
      `${plain(result.gateway)}, predictions.jsonl ${written(result.gateway)}`,
      goal(result.gateway, GOALS.gateway),
    ],
    [
      '(e)',
      'undici Pool → gateway → engine',
      int(result.poolGateway.rate),
      vs(result.poolGateway),
      cpu(result.poolGateway),
      plain(result.poolGateway),
      '-',
    ],
    ['(f)', 'undici Pool → bare proxy → engine', int(result.proxy.rate), vs(result.proxy), cpu(result.proxy), plain(result.proxy), '-'],
  ];
  const ceiling = result.proxy.rate / pool.rate;
  const t = result.ttft;
  const floor = result.ttftFloor;
  const ttftMet = t.measured > 0 && Math.abs(t.p99) <= GOALS.ttftP99Ms;
  return [
    `VLMHyperBench inference benchmark: concurrency ${options.concurrency}, ${int(options.requests)} requests per phase after a warm-up, test engine answering at once`,
    `phases (b) to (f) are timed in ${options.rounds} interleaved round${options.rounds === 1 ? '' : 's'} of ${int(Math.ceil(options.requests / options.rounds))} requests (b c d e f b c d e f …), so load from elsewhere affects them alike`,
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), load average ${result.load[0].toFixed(2)} at start, ${result.load[1].toFixed(2)} at end`,
    `the engine, the gateway and the proxy each run in their own process; client, engine (and gateway or proxy) share the ${cpus().length} CPUs, so figures are noisy: compare runs on a quiet machine`,
    'every request: one user message, no image, not streamed, a 5-token answer; (c) and (d) time the inference stage (inference-start to the last prediction written)',
    'CPU µs/req: CPU time per request of each process in the timed part, client / gateway (the proxy in (f)) / engine (less sensitive to other load than req/s)',
    'references for (d): (e) the cheapest client through the gateway, (f) the same through a bare proxy (node:http + an undici Pool passing bytes on; nothing parsed, checked, timed or logged)',
    '',
    ...tableLines(rows),
    `gateway ceiling: (d) asks for ≥ ${Math.round(GOALS.gateway * 100)}% of (b); the bare proxy (f) is ${pct(ceiling)} of (b)${ceiling < GOALS.gateway ? ': below the goal, so on this machine even a gateway doing no more than pass bytes on misses it' : ''}. (d) is ${pct(result.gateway.rate / result.proxy.rate)} of (f), (e) ${pct(result.poolGateway.rate / result.proxy.rate)}`,
    '',
    `TTFT accuracy: engine delay ${TTFT_MS} ms, runner streaming at concurrency ${options.ttftConcurrency}, ${int(t.items)} items after an untimed warm-up, predictions.jsonl ${int(t.lines)}/${int(t.items)} lines, ${int(t.measured)} with a TTFT`,
    `measured − ${TTFT_MS} ms: p50 ${ms(t.p50)}, p90 ${ms(t.p90)}, p99 ${ms(t.p99)} (min ${ms(t.min)}, max ${ms(t.max)}); goal |p99| ≤ ${GOALS.ttftP99Ms} ms: ${ttftMet ? 'met' : 'NOT met'}`,
    `without each connection's first request (the first ${options.ttftConcurrency} items): ${int(t.warm.measured)} items, p50 ${ms(t.warm.p50)}, p90 ${ms(t.warm.p90)}, p99 ${ms(t.warm.p99)} (max ${ms(t.warm.max)}): ${t.warm.measured > 0 && Math.abs(t.warm.p99) <= GOALS.ttftP99Ms ? 'within' : 'NOT within'} ${GOALS.ttftP99Ms} ms`,
    `of which the engine's own lateness (its first content chunk written after the ${TTFT_MS} ms were due, as it logs them; ${int(t.engineLate.measured)} items): p50 ${ms(t.engineLate.p50)}, p90 ${ms(t.engineLate.p90)}, p99 ${ms(t.engineLate.p99)} (max ${ms(t.engineLate.max)})`,
    `the runner's own error (measured − when the engine wrote the chunk): p50 ${ms(t.net.p50)}, p90 ${ms(t.net.p90)}, p99 ${ms(t.net.p99)} (min ${ms(t.net.min)}, max ${ms(t.net.max)}): ${t.net.measured > 0 && Math.abs(t.net.p99) <= GOALS.ttftP99Ms ? 'within' : 'NOT within'} ${GOALS.ttftP99Ms} ms`,
    `the floor, a bare undici Pool reading the same stream (its clock also at onConnect, the first content found by a string search; ${int(floor.all.measured)} items): measured − ${TTFT_MS} ms p50 ${ms(floor.all.p50)}, p90 ${ms(floor.all.p90)}, p99 ${ms(floor.all.p99)} (max ${ms(floor.all.max)}); its own error p50 ${ms(floor.net.p50)}, p90 ${ms(floor.net.p90)}, p99 ${ms(floor.net.p99)} (max ${ms(floor.net.max)})`,
    `an idle 1 ms timer in this process (${IDLE_MS / 1000} s, nothing else to do): late p50 ${ms(result.idle.p50)}, p99 ${ms(result.idle.p99)}, max ${ms(result.idle.max)}: how long this machine may take to run a process that has work`,
    '',
  ].join('\n');
}

export const INFERENCE_USAGE = `Usage: bench:inference [--requests N] [--concurrency N] [--rounds N] [--ttft-items N] [--ttft-concurrency N] [--no-fetch] [--quick]

  --requests N          requests (items) timed per phase, after a warm-up of a tenth (default ${int(DEFAULTS.requests)})
  --rounds N            interleaved rounds (b) to (f) are timed in (default ${DEFAULTS.rounds})
  --concurrency N       connections and requests in flight in phases (a)-(f) (default ${DEFAULTS.concurrency})
  --ttft-items N        items of the TTFT phase (default ${DEFAULTS.ttftItems})
  --ttft-concurrency N  concurrency of the TTFT phase (default ${DEFAULTS.ttftConcurrency})
  --no-fetch            skip timing the global fetch (it runs a fifth of --requests)
  --quick               tiny sizes (${QUICK.requests} requests in ${QUICK.rounds} round, ${QUICK.ttftItems} TTFT items, no fetch), to check that it works
`;

/** Parses the arguments, runs the benchmark and prints the report; returns the exit status (0, or 2 for bad arguments). */
export async function inferenceMain(
  args: string[],
  stdout: { write(text: string): unknown } = process.stdout,
  stderr: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  const options = parseBenchArgs(
    args,
    {
      name: 'bench:inference',
      usage: INFERENCE_USAGE,
      defaults: DEFAULTS,
      quick: QUICK,
      numeric: {
        '--requests': 'requests',
        '--concurrency': 'concurrency',
        '--ttft-items': 'ttftItems',
        '--ttft-concurrency': 'ttftConcurrency',
        '--rounds': 'rounds',
      },
      other: (arg, _value, options) => {
        if (arg !== '--no-fetch') return 0;
        options.fetch = false;
        return 1;
      },
    },
    stdout,
    stderr,
  );
  if (typeof options === 'number') return options;
  stdout.write(formatInference(await runInferenceBench(options)));
  return 0;
}

// Run as a script (node dist/inference/main.js), not when imported by the tests.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await inferenceMain(process.argv.slice(2));
}
