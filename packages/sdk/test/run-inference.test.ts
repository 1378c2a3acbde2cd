import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdapterSession,
  backoffDelay,
  type DatasetItem,
  defineAdapter,
  defineDataset,
  defineTask,
  executeRun,
  type GenerationRequest,
  INFERENCE_DEFAULTS,
  inferencePolicy,
  ModelLimiter,
  mulberry32,
  type PredictionRecord,
  ResponseCache,
  type RunEvent,
  type RunPlugins,
  type RunSpec,
  readPredictions,
  requestKeyParts,
  responseKey,
  selectItems,
  VhbError,
  z,
} from '../src/index.js';
import { type InferenceInput, runInference } from '../src/run/inference.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vhb-infer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const timing = { latencyMs: 5, ttftMs: 1, tpotMs: 1, promptTokens: 1, completionTokens: 1, peakMemoryMb: null };
const task = defineTask({
  name: 'echo',
  version: '1.0.0',
  description: 'echo',
  defaultPrompt: { id: 'p', user: 'Q: {{question}}' },
  defaultMetrics: [],
  buildRequest: (item) => ({ id: item.id, prompt: `Q: ${item.question}`, ...(item.image ? { image: item.image } : {}) }),
});
const items = (n: number): DatasetItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `i${i}`, question: `q${i}`, references: [`q${i}`], metadata: {} }));

/** An adapter session whose answer to each request is decided by `behave` (a stand-in for an engine). */
function session(behave: (request: GenerationRequest, call: number, signal?: AbortSignal) => Promise<string>, concurrency = 2) {
  const calls: { id: string; at: number }[] = [];
  let inFlight = 0;
  let peak = 0;
  const s: AdapterSession & { calls: typeof calls; peak: () => number } = {
    concurrency,
    calls,
    peak: () => peak,
    async generate(request, signal) {
      calls.push({ id: request.id, at: Date.now() });
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        const text = await behave(request, calls.filter((c) => c.id === request.id).length, signal);
        return { text, timing };
      } finally {
        inFlight -= 1;
      }
    },
    async close() {},
  };
  return s;
}

const retryable = (afterMs?: number) =>
  new VhbError('VHB_E_ADAPTER_HTTP', 'HTTP 500 from engine', { retry: { retryable: true, ...(afterMs === undefined ? {} : { afterMs }) } });

function input(s: AdapterSession, over: Partial<InferenceInput> = {}): InferenceInput & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return {
    items: items(3),
    task,
    taskOptions: {},
    prompt: task.defaultPrompt,
    settings: { maxTokens: 16 },
    openSession: async () => s,
    predictionsPath: join(dir, 'predictions.jsonl'),
    onEvent: (event) => events.push(event),
    inference: { backoffMs: 1, maxBackoffMs: 20 },
    events,
    ...over,
  };
}

describe('backoffDelay', () => {
  const policy = { backoffMs: 100, maxBackoffMs: 1000 };
  it('is full jitter under a doubling ceiling capped at maxBackoffMs', () => {
    // random() = 0.5 → half the ceiling: 100·2^(n-1) → 50, 100, 200, 400, then the 1000 cap → 500, 500.
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
  });
  it('follows a seeded generator exactly, and stays in [0, ceiling)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const first = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, a));
    const again = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, b));
    expect(first).toEqual(again);
    first.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(Math.min(1000, 100 * 2 ** i));
    });
  });
  it('waits at least what the server asked (Retry-After), capped at maxBackoffMs', () => {
    expect(backoffDelay(1, policy, () => 0, 700)).toBe(700);
    expect(backoffDelay(4, policy, () => 0.99, 10)).toBe(792);
    expect(backoffDelay(1, policy, () => 0, 60_000)).toBe(1000);
  });
  it('has defaults that let 5 consecutive failures end in a success', () => {
    expect(inferencePolicy(undefined)).toEqual(INFERENCE_DEFAULTS);
    expect(INFERENCE_DEFAULTS.maxAttempts).toBe(6);
    expect(inferencePolicy({ maxAttempts: 2, cache: undefined })).toEqual({ ...INFERENCE_DEFAULTS, maxAttempts: 2 });
  });
});

describe('runInference retries and timeouts', () => {
  it('retries a retryable error until it succeeds and records the attempts', async () => {
    const s = session(async (request, call) => {
      if (request.id === 'i1' && call <= 5) throw retryable();
      return `a-${request.id}`;
    });
    const run = input(s);
    const records = await runInference(run);
    expect(records.get('i1')).toMatchObject({ prediction: 'a-i1', error: null, attempts: 6 });
    expect(records.get('i0')).toMatchObject({ attempts: 1 });
    expect(s.calls.filter((c) => c.id === 'i1')).toHaveLength(6);
    expect(run.events.filter((e) => e.type === 'retry')).toHaveLength(5);
  });

  it('records an item that keeps failing, with its error and attempts, and goes on', async () => {
    const s = session(async (request) => {
      if (request.id === 'i0') throw retryable();
      if (request.id === 'i2') throw new VhbError('VHB_E_ADAPTER_HTTP', 'HTTP 400 bad image'); // not retryable
      return 'ok';
    });
    const records = await runInference(input(s, { inference: { maxAttempts: 3, backoffMs: 1, maxBackoffMs: 5 } }));
    expect(records.get('i0')?.error).toEqual({ code: 'VHB_E_ADAPTER_HTTP', message: 'HTTP 500 from engine', attempts: 3 });
    expect(records.get('i2')?.error).toEqual({ code: 'VHB_E_ADAPTER_HTTP', message: 'HTTP 400 bad image', attempts: 1 });
    expect(records.get('i1')).toMatchObject({ prediction: 'ok', error: null });
    const lines = (await readFile(join(dir, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(s.calls.filter((c) => c.id === 'i0')).toHaveLength(3);
  });

  it('honours the afterMs the error carries', async () => {
    const s = session(async (_request, call) => {
      if (call === 1) throw retryable(150);
      return 'ok';
    });
    await runInference(input(s, { items: items(1), inference: { backoffMs: 1, maxBackoffMs: 1000 } }));
    const [first, second] = s.calls;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(149);
  });

  it('times an item out across its attempts, aborting the request, and goes on', async () => {
    let aborted = 0;
    const s = session(
      (request, _call, signal) =>
        request.id === 'i1'
          ? new Promise((_, reject) =>
              signal?.addEventListener('abort', () => {
                aborted += 1;
                reject(new VhbError('VHB_E_ADAPTER_ABORTED', 'interrupted'));
              }),
            )
          : Promise.resolve('ok'),
      1,
    );
    const records = await runInference(input(s, { inference: { itemTimeoutMs: 100 } }));
    expect(aborted).toBe(1);
    expect(records.get('i1')?.error).toMatchObject({ code: 'VHB_E_ITEM_TIMEOUT', attempts: 1 });
    expect(records.get('i1')?.error?.message).toContain('item i1: no answer within 100 ms');
    expect(records.get('i2')).toMatchObject({ prediction: 'ok' });
  });

  it('gives up with a timeout when the next wait would pass the deadline', async () => {
    const s = session(async () => {
      throw retryable(5000);
    });
    const started = Date.now();
    const records = await runInference(input(s, { items: items(1), inference: { itemTimeoutMs: 200, maxBackoffMs: 10_000 } }));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(records.get('i0')?.error).toMatchObject({ code: 'VHB_E_ITEM_TIMEOUT', attempts: 1 });
    expect(records.get('i0')?.error?.message).toContain('last error: HTTP 500 from engine');
  });

  it('leaves items cut short by an interrupt unrecorded, for the resume', async () => {
    const controller = new AbortController();
    const s = session((request, _call, signal) => {
      if (request.id === 'i0') return Promise.resolve('ok');
      controller.abort();
      return Promise.reject(signal?.reason ?? new Error('aborted'));
    }, 1);
    await runInference(input(s, { signal: controller.signal }));
    const lines = (await readFile(join(dir, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as PredictionRecord).id)).toEqual(['i0']);
  });
});

describe('ModelLimiter', () => {
  it("bounds requests across runs sharing it, at the first session's concurrency", async () => {
    const limiter = new ModelLimiter();
    const behave = () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 10));
    const a = session(behave, 2);
    const b = session(behave, 2);
    let inFlight = 0;
    let peak = 0;
    const counted = (s: AdapterSession): AdapterSession => ({
      ...s,
      async generate(request, signal) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await s.generate(request, signal);
        } finally {
          inFlight -= 1;
        }
      },
    });
    await Promise.all([
      runInference(input(counted(a), { items: items(8), limiter, predictionsPath: join(dir, 'a.jsonl') })),
      runInference(input(counted(b), { items: items(8), limiter, predictionsPath: join(dir, 'b.jsonl') })),
    ]);
    // Each run alone would have 2 in flight; together they still have 2, not 4.
    expect(limiter.limit).toBe(2);
    expect(peak).toBe(2);
    expect(a.calls.length + b.calls.length).toBe(16);
  });

  it('keeps an explicit limit', async () => {
    const limiter = new ModelLimiter(1);
    limiter.adopt(8);
    expect(limiter.limit).toBe(1);
    const open = new ModelLimiter();
    open.adopt(3);
    open.adopt(5);
    expect(open.limit).toBe(3);
  });
});

describe('response cache', () => {
  it('answers a re-asked request from the cache, keeping the original timing', async () => {
    const store = new ResponseCache(join(dir, 'cache'));
    const model = { adapter: 'echo', model: 'm', modelId: 'org/m', endpoint: 'http://x/v1' };
    const s = session(async (request) => `a-${request.id}`);
    await runInference(input(s, { cache: { store, model } }));
    expect(s.calls).toHaveLength(3);
    // Another run (another results file) asking the same: no request, and the records say so.
    const again = session(async () => 'never');
    const run = input(again, { cache: { store, model }, predictionsPath: join(dir, 'other.jsonl') });
    const records = await runInference(run);
    expect(again.calls).toHaveLength(0);
    expect(records.get('i2')).toMatchObject({ prediction: 'a-i2', cache: 'hit', attempts: 0, timing });
    expect(run.events.filter((e) => e.type === 'item' && e.cached)).toHaveLength(3);
    // A different setting is a different request.
    const third = session(async () => 'fresh');
    await runInference(input(third, { cache: { store, model }, settings: { maxTokens: 17 }, predictionsPath: join(dir, 'third.jsonl') }));
    expect(third.calls).toHaveLength(3);
    // Turned off: asked again.
    const off = session(async () => 'off');
    await runInference(input(off, { cache: { store, model }, inference: { cache: false }, predictionsPath: join(dir, 'off.jsonl') }));
    expect(off.calls).toHaveLength(3);
  });

  it('keys on model, prompt, image bytes and settings, not on key order; a damaged entry is a miss', async () => {
    const image = join(dir, 'a.png');
    await writeFile(image, 'bytes-1');
    const model = { adapter: 'openai', model: 'm', endpoint: 'http://x/v1' };
    const request = { id: 'x', prompt: 'p', image, settings: { temperature: 0, maxTokens: 5 } };
    const key = responseKey(await requestKeyParts(model, request));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(responseKey(await requestKeyParts(model, { ...request, id: 'y', settings: { maxTokens: 5, temperature: 0 } }))).toBe(key);
    expect(responseKey(await requestKeyParts({ ...model, endpoint: 'http://y/v1' }, request))).not.toBe(key);
    expect(responseKey(await requestKeyParts(model, { ...request, system: 's' }))).not.toBe(key);
    await writeFile(image, 'bytes-2');
    expect(responseKey(await requestKeyParts(model, request))).not.toBe(key);

    const store = new ResponseCache(join(dir, 'cache'));
    await store.put(key, { text: 'hello', timing });
    expect((await store.get(key))?.text).toBe('hello');
    expect(await readdir(join(dir, 'cache', 'responses', key.slice(0, 2)))).toEqual([`${key}.json`]);
    await writeFile(store.pathOf(key), '{"v":1,"key":"');
    expect(await store.get(key)).toBeUndefined();
  });

  it('resumes from predictions.jsonl, asking only items not answered (failed ones again)', async () => {
    const path = join(dir, 'predictions.jsonl');
    const done = { id: 'i0', prediction: 'x', raw: 'x', references: [], metadata: {}, prompt: 'p', timing, error: null };
    const failed = { ...done, id: 'i1', prediction: null, error: { code: 'E', message: 'm' } };
    await writeFile(path, `${JSON.stringify(done)}\n${JSON.stringify(failed)}\n{"id":"i2","predi`);
    const s = session(async () => 'new');
    await runInference(input(s));
    expect(s.calls.map((c) => c.id).sort()).toEqual(['i1', 'i2']);
    const records = await readPredictions(path);
    expect([...records.values()].map((r) => [r.id, r.prediction])).toEqual([
      ['i0', 'x'],
      ['i1', 'new'],
      ['i2', 'new'],
    ]);
  });
});

describe('executeRun: inference settings from the spec', () => {
  it('bounds a run alone by inference.concurrency, and caches under spec.cacheDir', async () => {
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const adapter = defineAdapter({
      name: 'slow',
      version: '1.0.0',
      description: 'slow',
      async open() {
        return {
          concurrency: 4,
          async generate(request) {
            calls += 1;
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 5));
            inFlight -= 1;
            return { text: request.prompt, timing };
          },
          async close() {},
        };
      },
    });
    const dataset = defineDataset({
      name: 'mem',
      version: '1.0.0',
      description: 'mem',
      async *items() {
        yield* items(6);
      },
    });
    const runPlugins: RunPlugins = { task, dataset, adapter, metrics: [], reporters: [] };
    const spec: RunSpec = {
      experiment: 'e',
      run: 'r',
      outDir: join(dir, 'out'),
      task: { name: 'echo' },
      dataset: { name: 'mem', root: dir },
      model: { name: 'm', model: 'm' },
      settings: {},
      metrics: [],
      reporters: [],
      groupBy: [],
      inference: { concurrency: 1 },
      cacheDir: join(dir, 'cache'),
    };
    await executeRun(spec, runPlugins);
    expect(peak).toBe(1);
    expect(calls).toBe(6);
    await executeRun({ ...spec, outDir: join(dir, 'out2') }, runPlugins);
    expect(calls).toBe(6);
    const lines = (await readFile(join(dir, 'out2', 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as PredictionRecord).cache)).toEqual(Array(6).fill('hit'));
  });

  it("keys the cache on the adapter's identity (else its options): another endpoint or option asks again", async () => {
    let calls = 0;
    const adapter = defineAdapter({
      name: 'env-endpoint',
      version: '1.0.0',
      description: 'reads its endpoint from the environment',
      options: z.object({ temperature_hint: z.number().default(0) }),
      identity: (_options, ctx) => ({ endpoint: ctx.env.ENDPOINT }),
      async open() {
        return {
          concurrency: 1,
          async generate(request) {
            calls += 1;
            return { text: request.prompt, timing };
          },
          async close() {},
        };
      },
    });
    const dataset = defineDataset({
      name: 'mem',
      version: '1.0.0',
      description: 'mem',
      async *items() {
        yield* items(2);
      },
    });
    const spec: RunSpec = {
      experiment: 'e',
      run: 'r',
      outDir: join(dir, 'a'),
      task: { name: 'echo' },
      dataset: { name: 'mem', root: dir },
      model: { name: 'm', model: 'm' },
      settings: {},
      metrics: [],
      reporters: [],
      groupBy: [],
      cacheDir: join(dir, 'cache'),
    };
    const runPlugins: RunPlugins = { task, dataset, adapter, metrics: [], reporters: [] };
    await executeRun(spec, runPlugins, { env: { ENDPOINT: 'http://one' } });
    await executeRun({ ...spec, outDir: join(dir, 'b') }, runPlugins, { env: { ENDPOINT: 'http://one' } });
    expect(calls).toBe(2);
    await executeRun({ ...spec, outDir: join(dir, 'c') }, runPlugins, { env: { ENDPOINT: 'http://two' } });
    expect(calls).toBe(4);

    // Without identity(), the parsed options are the adapter's part of the key.
    const { identity: _identity, ...plain } = adapter;
    const optionsOnly: RunPlugins = { ...runPlugins, adapter: plain as typeof adapter };
    const withHint = (hint: number, outDir: string) => ({
      ...spec,
      outDir: join(dir, outDir),
      model: { ...spec.model, options: { temperature_hint: hint } },
    });
    await executeRun(withHint(1, 'd'), optionsOnly);
    await executeRun(withHint(1, 'e'), optionsOnly);
    expect(calls).toBe(6);
    await executeRun(withHint(2, 'f'), optionsOnly);
    expect(calls).toBe(8);
  });

  it("stores the adapter's structured output on the prediction, and the cache keeps it", async () => {
    let calls = 0;
    const adapter = defineAdapter({
      name: 'boxes',
      version: '1.0.0',
      description: 'answers with boxes',
      async open() {
        return {
          concurrency: 1,
          async generate(request) {
            calls += 1;
            return { text: request.prompt, timing, output: { boxes: [{ label: 'title', box: [1, 2, 3, 4] }] } };
          },
          async close() {},
        };
      },
    });
    const dataset = defineDataset({
      name: 'mem',
      version: '1.0.0',
      description: 'mem',
      async *items() {
        yield* items(1);
      },
    });
    const spec: RunSpec = {
      experiment: 'e',
      run: 'r',
      outDir: join(dir, 'first'),
      task: { name: 'echo' },
      dataset: { name: 'mem', root: dir },
      model: { name: 'm', model: 'm' },
      settings: {},
      metrics: [],
      reporters: [],
      groupBy: [],
      cacheDir: join(dir, 'cache'),
    };
    const runPlugins: RunPlugins = { task, dataset, adapter, metrics: [], reporters: [] };
    await executeRun(spec, runPlugins);
    await executeRun({ ...spec, outDir: join(dir, 'second') }, runPlugins);
    expect(calls).toBe(1);
    const expected = { boxes: [{ label: 'title', box: [1, 2, 3, 4] }] };
    for (const folder of ['first', 'second']) {
      const [record] = (await readFile(join(dir, folder, 'predictions.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(record.output).toEqual(expected);
    }
  });
});

describe('executeRun: dataset selection from the spec', () => {
  it('filters, shuffles (seeded) and limits the checked items, streaming', async () => {
    const seen: string[] = [];
    const adapter = defineAdapter({
      name: 'echo',
      version: '1.0.0',
      description: 'echo',
      async open() {
        return {
          concurrency: 1,
          async generate(request) {
            seen.push(request.id);
            return { text: request.prompt, timing };
          },
          async close() {},
        };
      },
    });
    const dataset = defineDataset({
      name: 'typed',
      version: '1.0.0',
      description: 'six items, alternating doc types',
      async *items() {
        for (let i = 1; i <= 6; i += 1) {
          yield { id: `i${i}`, question: `q${i}`, references: ['r'], metadata: { doc_type: i % 2 ? 'odd' : 'even' } };
        }
      },
    });
    const spec: RunSpec = {
      experiment: 'e',
      run: 'r',
      outDir: join(dir, 'sel'),
      task: { name: 'echo' },
      dataset: { name: 'typed', root: dir, filter: { doc_type: 'even' }, limit: 2 },
      model: { name: 'm', model: 'm' },
      settings: {},
      metrics: [],
      reporters: [],
      groupBy: [],
    };
    await executeRun(spec, { task, dataset, adapter, metrics: [], reporters: [] });
    // Even items in dataset order are i2, i4, i6; the limit keeps the first two.
    expect(seen).toEqual(['i2', 'i4']);
    seen.length = 0;
    const shuffled = {
      ...spec,
      outDir: join(dir, 'sel2'),
      dataset: { ...spec.dataset, limit: undefined, shuffle: { seed: 7, buffer: 10 } },
    };
    await executeRun(shuffled, { task, dataset, adapter, metrics: [], reporters: [] });
    // A seeded shuffle of the three even items: the same set, in the order selectItems gives for seed 7.
    const expected: string[] = [];
    for await (const item of selectItems(
      (async function* () {
        for (const id of ['i2', 'i4', 'i6']) yield { id, references: ['r'], metadata: {} };
      })(),
      { shuffle: { seed: 7, buffer: 10 } },
    ))
      expected.push(item.id);
    expect([...seen].sort()).toEqual(['i2', 'i4', 'i6']);
    expect(seen).toEqual(expected);
  });
});
