/**
 * The measured phases of `bench:inference`. Every phase sends the same request: one user message
 * (a text part, no image), not streamed, answered with a few tokens.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import openai from '@vhb/adapter-openai';
import jsonl from '@vhb/dataset-jsonl';
import { executeRun, type PredictionRecord, type RunEvent, type RunSpec } from '@vhb/sdk';
import vqa from '@vhb/task-vqa';
import autocannon from 'autocannon';
import { type Dispatcher, Pool } from 'undici';
import { processCpu } from '../proc-cpu.js';

/** The model name every request carries (the test engine's default model, and the gateway's name for it). */
export const MODEL = 'test-model';
/** The question of every request and dataset item. */
export const QUESTION = 'What is the total?';
/** Generation settings of the runner, so its body carries `max_tokens` as the others do. */
const MAX_TOKENS = 16;

/** The request body, exactly as the OpenAI adapter builds it for a dataset item with `question` ({@link QUESTION} by default). */
export function requestBody(stream = false, question = QUESTION): string {
  return JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: [{ type: 'text', text: question }] }],
    max_tokens: MAX_TOKENS,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

/** CPU time of the processes of a phase, in microseconds per request: this process, and each server process by pid. */
export interface CpuMeter {
  /** Starts counting. */
  start(): void;
  /** Stops counting; µs of CPU per request over `requests`, by process name (null where unknown). */
  stop(requests: number): Record<string, number | null>;
}

/** A meter of this process (process.cpuUsage) and of the server processes named in `servers`. */
export function cpuMeter(servers: Record<string, number>): CpuMeter {
  let client = process.cpuUsage();
  let others: Record<string, number | null> = {};
  const read = () => Object.fromEntries(Object.entries(servers).map(([name, pid]) => [name, processCpu(pid)]));
  return {
    start() {
      others = read();
      client = process.cpuUsage();
    },
    stop(requests) {
      const used = process.cpuUsage(client);
      const now = read();
      const out: Record<string, number | null> = { client: (used.user + used.system) / requests };
      for (const [name, value] of Object.entries(now)) {
        const before = others[name];
        out[name] = value === null || before === null || before === undefined ? null : (value - before) / requests;
      }
      return out;
    },
  };
}

/** What one phase measured. */
export interface PhaseResult {
  /** Requests (or items) completed in the timed part. */
  requests: number;
  /** Seconds of the timed part. */
  seconds: number;
  /** Requests (items) per second. */
  rate: number;
  /** Requests that did not get a 2xx (or items recorded with an error). */
  errors: number;
  /** µs of CPU per request in the timed part, by process (`client`, `engine`, `gateway`); null where unknown. */
  cpu: Record<string, number | null>;
}

const result = (requests: number, seconds: number, errors: number, cpu: Record<string, number | null>): PhaseResult => ({
  requests,
  seconds,
  rate: requests / seconds,
  errors,
  cpu,
});

/** (a) autocannon's programmatic API against `baseUrl`: `amount` requests over `connections` connections. */
export async function autocannonPhase(baseUrl: string, amount: number, connections: number, meter: CpuMeter): Promise<PhaseResult> {
  const fire = async (n: number) => {
    const run = await autocannon({
      url: `${baseUrl}/chat/completions`,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: requestBody(),
      connections,
      pipelining: 1,
      amount: n,
      timeout: 30,
    });
    return run;
  };
  await fire(Math.max(connections, Math.round(amount / 10)));
  meter.start();
  const start = performance.now();
  const run = await fire(amount);
  const seconds = (performance.now() - start) / 1000;
  const ok = run['2xx'];
  return result(ok, seconds, run.requests.sent - ok + run.errors + run.timeouts, meter.stop(ok));
}

/** Runs `total` calls of `once` with `width` in flight; resolves to the number that failed. */
async function drive(total: number, width: number, call: () => Promise<boolean>): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      if (!(await call())) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, total) }, worker));
  return failed;
}

/** (b) the baseline: a bare undici `Pool`, `concurrency` connections and requests in flight, every body read fully. */
export async function poolPhase(baseUrl: string, amount: number, concurrency: number, meter: CpuMeter): Promise<PhaseResult> {
  const url = new URL(`${baseUrl}/chat/completions`);
  const pool = new Pool(url.origin, { connections: concurrency });
  const body = requestBody();
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const call = async () => {
    const response = await pool.request({ path: url.pathname, method: 'POST', headers, body });
    const text = await response.body.text();
    return response.statusCode === 200 && text.length > 0;
  };
  try {
    await drive(Math.max(concurrency, Math.round(amount / 10)), concurrency, call);
    meter.start();
    const start = performance.now();
    const failed = await drive(amount, concurrency, call);
    const seconds = (performance.now() - start) / 1000;
    return result(amount - failed, seconds, failed, meter.stop(amount));
  } finally {
    await pool.close();
  }
}

/** Node's global `fetch` (undici's, with its own global dispatcher), `concurrency` in flight: for the README's note. */
export async function fetchPhase(baseUrl: string, amount: number, concurrency: number, meter: CpuMeter): Promise<PhaseResult> {
  const url = `${baseUrl}/chat/completions`;
  const body = requestBody();
  const call = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    return response.ok && text.length > 0;
  };
  await drive(Math.max(concurrency, Math.round(amount / 10)), concurrency, call);
  meter.start();
  const start = performance.now();
  const failed = await drive(amount, concurrency, call);
  const seconds = (performance.now() - start) / 1000;
  return result(amount - failed, seconds, failed, meter.stop(amount));
}

/** The question of item `q<i>`: {@link QUESTION}, numbered when each must be told apart (the TTFT phase). */
export const questionOf = (i: number, numbered: boolean): string => (numbered ? `${QUESTION} (#${i})` : QUESTION);

/** Writes a JSON Lines dataset of `items` questions (no images) into `<dir>/manifest.jsonl`. */
export async function writeDataset(dir: string, items: number, numbered = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  const out = createWriteStream(join(dir, 'manifest.jsonl'));
  for (let i = 0; i < items; i += 1) {
    const question = questionOf(i, numbered);
    const line = `${JSON.stringify({ id: `q${i}`, question, references: [`echo: ${question}`] })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** What a runner phase measured, with the lines of its predictions.jsonl. */
export interface RunnerResult extends PhaseResult {
  /** Lines in predictions.jsonl after the run. */
  lines: number;
  /** Items in the dataset. */
  items: number;
  /** Every record of predictions.jsonl, in file order (with `keepRecords`; else empty). */
  records: PredictionRecord[];
}

/**
 * The runner: `executeRun` with @vhb/task-vqa, @vhb/dataset-jsonl over `datasetDir` and
 * @vhb/adapter-openai pointed at `baseUrl`; no metrics, no reporters, the response cache off.
 * Items per second over the inference stage alone: from the `inference-start` event (the dataset
 * read) to the last `item` event (its prediction appended to predictions.jsonl).
 */
export async function runnerPhase(options: {
  baseUrl: string;
  datasetDir: string;
  items: number;
  outDir: string;
  concurrency: number;
  stream: boolean;
  /** Counts CPU over the inference stage. */
  meter?: CpuMeter;
  /**
   * Parse predictions.jsonl into `records` (the TTFT phase needs them). Off, the lines are only
   * counted: records kept from round to round would grow this process's heap, and with it the
   * garbage collector's work in every later phase.
   */
  keepRecords?: boolean;
}): Promise<RunnerResult> {
  const spec: RunSpec = {
    experiment: 'bench-inference',
    run: 'bench',
    outDir: options.outDir,
    task: { name: vqa.name },
    dataset: { name: 'bench-dataset', root: options.datasetDir },
    model: {
      name: openai.name,
      model: MODEL,
      endpoint: options.baseUrl,
      options: { stream: options.stream, concurrency: options.concurrency, timeout_ms: 60_000 },
    },
    prompt: { id: 'bench', user: '{{question}}' },
    settings: { maxTokens: MAX_TOKENS },
    metrics: [],
    reporters: [],
    groupBy: [],
    inference: { cache: false, maxAttempts: 1 },
  };
  let started = 0;
  let last = 0;
  let failed = 0;
  let cpu: Record<string, number | null> = {};
  const onEvent = (event: RunEvent) => {
    if (event.type === 'inference-start') {
      options.meter?.start();
      started = performance.now();
    } else if (event.type === 'item') {
      last = performance.now();
      if (!event.ok) failed += 1;
      if (event.done === event.total && options.meter) cpu = options.meter.stop(options.items);
    }
  };
  // No OPENAI_API_KEY is sent to the test engine, whatever the environment holds.
  const env = { ...process.env, OPENAI_API_KEY: undefined, VHB_OPENAI_MODEL: undefined };
  await executeRun(spec, { task: vqa, dataset: jsonl, adapter: openai, metrics: [], reporters: [] }, { onEvent, env });
  const text = await readFile(join(options.outDir, 'predictions.jsonl'), 'utf8');
  const lines = text.split('\n').filter((line) => line.length > 0);
  const records = options.keepRecords ? lines.map((line) => JSON.parse(line) as PredictionRecord) : [];
  const seconds = (last - started) / 1000;
  return { ...result(options.items - failed, seconds, failed, cpu), lines: lines.length, items: options.items, records };
}

/** The question of request `i` of the bare client's TTFT phase: numbered apart from the runner's, so the engine's log tells them apart. */
export const poolQuestionOf = (i: number): string => `${QUESTION} (#pool-${i})`;

/** A non-empty `content` in an SSE chunk of the answer (the role chunk carries `"content":""`). */
const CONTENT = /"content":"[^"]/;

/**
 * One streamed request of the bare client: the clock starts at `onConnect`, as the runner's does,
 * and stops at the first body chunk holding non-empty content, found by a string search — no SSE
 * parsing, no JSON, no record.
 */
class FirstContentCall implements Dispatcher.DispatchHandler {
  #start = 0;
  #ttftMs: number | null = null;
  #status = 0;

  constructor(private readonly settle: (ttftMs: number | null, error?: Error) => void) {}

  onConnect(): void {
    this.#start = performance.now();
  }

  onHeaders(status: number): boolean {
    this.#status = status;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#ttftMs === null && CONTENT.test(chunk.toString('latin1'))) this.#ttftMs = performance.now() - this.#start;
    return true;
  }

  onComplete(): void {
    if (this.#status === 200) this.settle(this.#ttftMs);
    else this.settle(null, new Error(`HTTP ${this.#status}`));
  }

  onError(error: Error): void {
    this.settle(null, error);
  }
}

/**
 * The TTFT floor: a bare undici Pool streaming `items` requests, `concurrency` in flight, each
 * with its own question ({@link poolQuestionOf}, numbered from `from`); the TTFT of each, by question.
 */
export async function poolTtftPhase(baseUrl: string, from: number, items: number, concurrency: number): Promise<Map<string, number>> {
  const url = new URL(`${baseUrl}/chat/completions`);
  const pool = new Pool(url.origin, { connections: concurrency });
  const headers = ['content-type', 'application/json', 'accept', 'text/event-stream'];
  const measured = new Map<string, number>();
  let next = from;
  const call = () =>
    new Promise<boolean>((resolve) => {
      const question = poolQuestionOf(next);
      next += 1;
      const body = requestBody(true, question);
      pool.dispatch(
        { path: url.pathname, method: 'POST', headers, body },
        new FirstContentCall((ttftMs, error) => {
          if (ttftMs !== null) measured.set(question, ttftMs);
          resolve(error === undefined && ttftMs !== null);
        }),
      );
    });
  try {
    await drive(items, concurrency, call);
  } finally {
    await pool.close();
  }
  return measured;
}

/** How late a 1 ms interval timer fires in this process, idle otherwise, over `ms`: the machine's own scheduling delay. */
export async function idleTimerLateness(ms: number): Promise<number[]> {
  const late: number[] = [];
  let last = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      late.push(now - last - 1);
      last = now;
    }, 1);
    setTimeout(() => {
      clearInterval(timer);
      resolve();
    }, ms);
  });
  return late;
}
