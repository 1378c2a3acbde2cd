import { type FileHandle, open, stat } from 'node:fs/promises';
import type { DatasetItem, GenerationRequest, GenerationResult, GenerationSettings, PredictionRecord } from '../data.js';
import { retryAdviceOf } from '../errors.js';
import { forEachLimited } from '../limit.js';
import type { AdapterSession, PromptTemplate, TaskPlugin } from '../plugins.js';
import { type ResponseCache, type ResponseKeyParts, requestKeyParts, responseKey } from './cache.js';
import { readJsonl } from './jsonl.js';
import type { ModelLimiter } from './limiter.js';
import { backoffDelay, type InferencePolicy, inferencePolicy, sleep } from './retry.js';
import type { InferenceSpec, RunEvent } from './spec.js';

/** Latest record per item id, in file order; a later line for an id replaces an earlier one. */
export async function readPredictions(path: string): Promise<Map<string, PredictionRecord>> {
  const records = new Map<string, PredictionRecord>();
  for await (const record of readJsonl<PredictionRecord>(path)) records.set(record.id, record);
  return records;
}

/** Opens a JSONL file for appending, first ending a torn last line so the next record starts clean. */
async function openForAppend(path: string) {
  const handle = await open(path, 'a');
  const size = (await stat(path)).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    const reader = await open(path, 'r');
    await reader.read(last, 0, 1, size - 1).finally(() => reader.close());
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  return handle;
}

/**
 * Appends lines to an open file, one write per batch: lines arriving while a write is under way go
 * out together in the next one (a run at high concurrency finishes many items per write). Each
 * call resolves once its own line is in the file, so a record is on disk before its item counts
 * as done, as with one write per line.
 */
function lineAppender(handle: FileHandle): (line: string) => Promise<void> {
  let queue: string[] = [];
  let next: Promise<void> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return (line) => {
    queue.push(line);
    if (next) return next;
    const batch = tail.then(async () => {
      const text = queue.length === 1 ? (queue[0] as string) : queue.join('');
      queue = [];
      next = undefined;
      await handle.write(text);
    });
    next = batch;
    tail = batch.catch(() => {});
    return batch;
  };
}

/** Error code of an item that got no answer within the run's `itemTimeoutMs`, retries included. */
export const ITEM_TIMEOUT = 'VHB_E_ITEM_TIMEOUT';

export interface InferenceInput {
  items: DatasetItem[];
  task: TaskPlugin<any>;
  taskOptions: unknown;
  /** The prompt of every item, unless `promptFor` chooses one per item. */
  prompt: PromptTemplate;
  /**
   * Chooses each item's prompt (prompt rules); may throw (no rule matches), which fails that item.
   * A recorded answer counts as done only when it was made with the prompt chosen now.
   */
  promptFor?: (item: DatasetItem) => PromptTemplate;
  settings: GenerationSettings;
  /** Opens the adapter session; called only when some item still needs a request. */
  openSession: () => Promise<AdapterSession>;
  predictionsPath: string;
  signal?: AbortSignal;
  onEvent: (event: RunEvent) => void;
  /** Retries, item timeout, cache switch; defaults where absent. */
  inference?: InferenceSpec;
  /** The response cache, and the model the answers are cached under; no lookups without both. */
  cache?: { store: ResponseCache; model: Pick<ResponseKeyParts, 'adapter' | 'model' | 'modelId' | 'endpoint' | 'adapterIdentity'> };
  /** Skip cache lookups (every item is asked again); answers are still saved to the cache. */
  refreshCache?: boolean;
  /** Shared with the other runs of the same model: every request takes a slot. */
  limiter?: ModelLimiter;
  /** Random numbers in [0, 1) for the backoff jitter (Math.random by default). */
  random?: () => number;
}

/** An item that still needs a request. */
interface Pending {
  item: DatasetItem;
  request: GenerationRequest;
  /** Its response cache key, when the cache is in use. */
  key?: string;
}

/** Prompt id recorded on an item whose prompt could not be chosen. */
export const NO_PROMPT = '(none)';

/** Each item's prompt, or why none could be chosen; ids are what predictions record. */
type Choices = Map<string, PromptTemplate | Error>;

const promptIdOf = (item: DatasetItem, choices: Choices) => {
  const chosen = choices.get(item.id);
  return chosen === undefined || chosen instanceof Error ? NO_PROMPT : chosen.id;
};

const baseOf = (item: DatasetItem, choices: Choices) => ({
  id: item.id,
  references: item.references,
  metadata: item.metadata,
  ...(item.image ? { image: item.image } : {}),
  prompt: promptIdOf(item, choices),
});

function choosePrompts(input: InferenceInput): Choices {
  const choices: Choices = new Map();
  for (const item of input.items) {
    try {
      choices.set(item.id, input.promptFor ? input.promptFor(item) : input.prompt);
    } catch (error) {
      choices.set(item.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return choices;
}

function codeOf(error: unknown, fallback = 'VHB_E_ITEM_GENERATE'): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function failedRecord(item: DatasetItem, choices: Choices, error: { code: string; message: string }, attempts: number): PredictionRecord {
  return { ...baseOf(item, choices), prediction: null, raw: null, timing: null, attempts, error: { ...error, attempts } };
}

function answeredRecord(
  item: DatasetItem,
  input: InferenceInput,
  choices: Choices,
  result: GenerationResult,
  attempts: number,
  hit: boolean,
): PredictionRecord {
  const { text, timing } = result;
  const base = { ...baseOf(item, choices), ...(result.output ? { output: result.output } : {}) };
  try {
    const prediction = input.task.parseAnswer ? input.task.parseAnswer(text, item, input.taskOptions) : text.trim();
    return { ...base, prediction, raw: text, timing, attempts, ...(hit ? { cache: 'hit' as const } : {}), error: null };
  } catch (error) {
    const failure = { code: codeOf(error), message: messageOf(error), attempts };
    return { ...base, prediction: null, raw: text, timing, attempts, ...(hit ? { cache: 'hit' as const } : {}), error: failure };
  }
}

/**
 * Answers every item not answered yet, appending one line per item to predictions.jsonl as it
 * finishes. Items answered in an earlier run are not asked again; items that failed are. An item
 * whose exact request is in the response cache is answered from it without a request. Retryable
 * failures are retried with backoff; an item that still fails, or runs out of time, is recorded
 * with its error. Items cut short by an interrupt (`signal`) are not recorded: a resume redoes them.
 */
export async function runInference(input: InferenceInput): Promise<Map<string, PredictionRecord>> {
  const policy = inferencePolicy(input.inference);
  const cache = policy.cache ? input.cache : undefined;
  const records = await readPredictions(input.predictionsPath);
  const choices = choosePrompts(input);
  // Answered with another prompt than the one chosen now (the rules changed): asked again.
  const todo = input.items.filter((item) => {
    const earlier = records.get(item.id);
    return earlier?.prediction == null || earlier.prompt !== promptIdOf(item, choices);
  });
  let done = input.items.length - todo.length;
  input.onEvent({ type: 'inference-start', total: input.items.length, done });
  if (todo.length === 0 || input.signal?.aborted) return records;

  const handle = await openForAppend(input.predictionsPath);
  const append = lineAppender(handle);
  const record = async (entry: PredictionRecord) => {
    await append(`${JSON.stringify(entry)}\n`);
    records.set(entry.id, entry);
    done += 1;
    const extra = { ...(entry.cache === 'hit' ? { cached: true } : {}), ...(entry.attempts ? { attempts: entry.attempts } : {}) };
    input.onEvent({ type: 'item', id: entry.id, ok: entry.error === null, done, total: input.items.length, ...extra });
  };
  try {
    // Build every request first; answer from the cache what it holds.
    const pending: (Pending | undefined)[] = new Array(todo.length);
    await forEachLimited(
      todo.length,
      8,
      async (index) => {
        const item = todo[index] as DatasetItem;
        let request: GenerationRequest;
        try {
          const prompt = choices.get(item.id) as PromptTemplate | Error;
          if (prompt instanceof Error) throw prompt;
          request = { ...input.task.buildRequest(item, prompt, input.taskOptions), settings: input.settings };
        } catch (error) {
          await record(failedRecord(item, choices, { code: codeOf(error), message: messageOf(error) }, 0));
          return;
        }
        if (!cache) {
          pending[index] = { item, request };
          return;
        }
        let key: string | undefined;
        try {
          key = responseKey(await requestKeyParts(cache.model, request));
        } catch (error) {
          // An unreadable image: the adapter will report it on the item.
          input.onEvent({ type: 'log', level: 'debug', message: `item ${item.id}: no cache key (${messageOf(error)})` });
        }
        const hit = key === undefined || input.refreshCache ? undefined : await cache.store.get(key);
        if (hit) await record(answeredRecord(item, input, choices, hit, 0, true));
        else pending[index] = { item, request, ...(key === undefined ? {} : { key }) };
      },
      input.signal,
    );
    const misses = pending.filter((p): p is Pending => p !== undefined);
    if (misses.length === 0 || input.signal?.aborted) return records;

    const session = await input.openSession();
    try {
      input.limiter?.adopt(session.concurrency);
      const width = Math.min(session.concurrency, input.limiter?.limit ?? Number.POSITIVE_INFINITY);
      await forEachLimited(
        misses.length,
        width,
        async (index) => {
          const entry = await answer(misses[index] as Pending, session, input, choices, policy, cache?.store);
          if (entry) await record(entry);
        },
        input.signal,
      );
    } finally {
      await session.close();
    }
  } finally {
    await handle.close();
  }
  return records;
}

/**
 * Asks for one item until it is answered, fails for good, or runs out of time; undefined when the
 * run was interrupted. The item's clock starts with its first request.
 */
async function answer(
  pending: Pending,
  session: AdapterSession,
  input: InferenceInput,
  choices: Choices,
  policy: InferencePolicy,
  cache: ResponseCache | undefined,
): Promise<PredictionRecord | undefined> {
  const { item, request, key } = pending;
  // Aborted by the item's timeout or by the run's interrupt (forwarded: cheaper than AbortSignal.any
  // per item); the interrupt is told apart by input.signal.aborted, checked first below.
  const clock = new AbortController();
  const signal = clock.signal;
  const forward = () => clock.abort(input.signal?.reason);
  if (input.signal?.aborted) forward();
  else input.signal?.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let deadline = Number.POSITIVE_INFINITY;
  const startClock = () => {
    if (timer) return;
    deadline = Date.now() + policy.itemTimeoutMs;
    timer = setTimeout(() => clock.abort(), policy.itemTimeoutMs);
  };
  const timedOut = (attempts: number, last?: unknown) => {
    const why = last === undefined ? '' : `; last error: ${messageOf(last)}`;
    const message = `item ${item.id}: no answer within ${policy.itemTimeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}${why})`;
    return failedRecord(item, choices, { code: ITEM_TIMEOUT, message }, attempts);
  };
  let attempts = 0;
  try {
    for (;;) {
      let result: GenerationResult;
      try {
        const ask = () => {
          startClock();
          attempts += 1;
          return session.generate(request, signal);
        };
        result = await (input.limiter ? input.limiter.run(ask, signal) : ask());
      } catch (error) {
        if (input.signal?.aborted) return undefined;
        if (clock.signal.aborted) return timedOut(attempts);
        const advice = retryAdviceOf(error);
        const failure = { code: codeOf(error), message: messageOf(error) };
        if (!advice || attempts >= policy.maxAttempts) return failedRecord(item, choices, failure, attempts);
        const waitMs = backoffDelay(attempts, policy, input.random, advice.afterMs);
        // A wait that would end past the item's deadline cannot help: time out now, naming the last error.
        if (Date.now() + waitMs >= deadline) return timedOut(attempts, error);
        input.onEvent({ type: 'retry', id: item.id, attempt: attempts, ...failure, waitMs });
        try {
          await sleep(waitMs, signal);
        } catch {
          if (input.signal?.aborted) return undefined;
          return timedOut(attempts, error);
        }
        continue;
      }
      if (cache && key !== undefined) {
        try {
          await cache.put(key, result);
        } catch (error) {
          input.onEvent({ type: 'log', level: 'warn', message: `response cache: cannot save item ${item.id}: ${messageOf(error)}` });
        }
      }
      return answeredRecord(item, input, choices, result, attempts, false);
    }
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', forward);
  }
}
