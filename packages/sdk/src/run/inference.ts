import type { DatasetItem, GenerationRequest, GenerationResult, GenerationSettings, PredictionRecord } from '../data.js';
import type { AdapterSession, PromptTemplate, TaskPlugin } from '../plugins.js';
import { type AskContext, answer, type Pending } from './ask.js';
import { type ResponseCache, type ResponseKeyParts, requestKeyParts, responseKey } from './cache.js';
import { DeadlineSignals } from './deadlines.js';
import { readJsonl } from './jsonl.js';
import type { ModelLimiter } from './limiter.js';
import { openForAppend, PredictionWriter } from './prediction-writer.js';
import { answeredRecord, codeOf, failedRecord, messageOf, NO_PROMPT } from './records.js';
import { inferencePolicy } from './retry.js';
import type { InferenceSpec, RunEvent } from './spec.js';

export { ITEM_TIMEOUT } from './ask.js';
export { NO_PROMPT } from './records.js';

/** Latest record per item id, in file order; a later line for an id replaces an earlier one. */
export async function readPredictions(path: string): Promise<Map<string, PredictionRecord>> {
  const records = new Map<string, PredictionRecord>();
  for await (const record of readJsonl<PredictionRecord>(path)) records.set(record.id, record);
  return records;
}

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

/** Each item's prompt, or why none could be chosen (with prompt rules; without, every item has `input.prompt`). */
function choosePrompts(input: InferenceInput): (item: DatasetItem) => PromptTemplate | Error {
  const { promptFor } = input;
  if (!promptFor) return () => input.prompt;
  const choices = new Map<string, PromptTemplate | Error>();
  for (const item of input.items) {
    try {
      choices.set(item.id, promptFor(item));
    } catch (error) {
      choices.set(item.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return (item) => choices.get(item.id) as PromptTemplate | Error;
}

const idOf = (prompt: PromptTemplate | Error) => (prompt instanceof Error ? NO_PROMPT : prompt.id);

/**
 * Answers every item not answered yet, appending one line per item to predictions.jsonl as it
 * finishes (in batches: see PredictionWriter; an item's `item` event comes after its line is in
 * the file). Items answered in an earlier run are not asked again; items that failed are. An item
 * whose exact request is in the response cache is answered from it without a request. Retryable
 * failures are retried with backoff; an item that still fails, or runs out of time, is recorded
 * with its error. Items cut short by an interrupt (`signal`) are not recorded: a resume redoes them.
 */
export async function runInference(input: InferenceInput): Promise<Map<string, PredictionRecord>> {
  const policy = inferencePolicy(input.inference);
  const cache = policy.cache ? input.cache : undefined;
  const records = await readPredictions(input.predictionsPath);
  const promptOf = choosePrompts(input);
  // Answered with another prompt than the one chosen now (the rules changed): asked again.
  const todo = input.items.filter((item) => {
    const earlier = records.get(item.id);
    return earlier?.prediction == null || earlier.prompt !== idOf(promptOf(item));
  });
  const total = input.items.length;
  let done = total - todo.length;
  input.onEvent({ type: 'inference-start', total, done });
  if (todo.length === 0 || input.signal?.aborted) return records;

  const handle = await openForAppend(input.predictionsPath);
  const writer = new PredictionWriter(handle, (entry) => {
    records.set(entry.id, entry);
    done += 1;
    const event: RunEvent & { type: 'item' } = { type: 'item', id: entry.id, ok: entry.error === null, done, total };
    if (entry.cache === 'hit') event.cached = true;
    if (entry.attempts) event.attempts = entry.attempts;
    input.onEvent(event);
  });
  try {
    const build = builder(todo, input, promptOf, writer);
    // Without a cache, requests are built as workers take them: the first goes out at once, not
    // after every item was built. A session is opened only once some item has a request.
    const source = cache ? fromList(await lookUp(build, input, cache, writer)) : build;
    const first = source();
    if (first && !input.signal?.aborted) await askAll(first, source, input, policy, cache?.store, writer);
  } finally {
    // Every line queued is written (or the write failed) before the file is closed.
    try {
      writer.close();
    } finally {
      await handle.close();
    }
  }
  return records;
}

/** Hands out the next item to ask, or undefined when there is none left. */
type Source = () => Pending | undefined;

const fromList = (list: Pending[]): Source => {
  let next = 0;
  return () => list[next++];
};

/** Builds the requests of `todo` one by one; an item whose request cannot be built is recorded failed and skipped. */
function builder(
  todo: DatasetItem[],
  input: InferenceInput,
  promptOf: (item: DatasetItem) => PromptTemplate | Error,
  writer: PredictionWriter,
): Source {
  let next = 0;
  return () => {
    while (next < todo.length) {
      const item = todo[next++] as DatasetItem;
      const prompt = promptOf(item);
      const id = idOf(prompt);
      try {
        if (prompt instanceof Error) throw prompt;
        const request: GenerationRequest = { ...input.task.buildRequest(item, prompt, input.taskOptions), settings: input.settings };
        return { item, request, prompt: id };
      } catch (error) {
        writer.add(failedRecord(item, id, { code: codeOf(error), message: messageOf(error) }, 0));
      }
    }
    return undefined;
  };
}

/** Builds every request and answers from the cache what it holds (8 lookups at a time); the misses, in order. */
async function lookUp(
  build: Source,
  input: InferenceInput,
  cache: NonNullable<InferenceInput['cache']>,
  writer: PredictionWriter,
): Promise<Pending[]> {
  const built: Pending[] = [];
  for (let pending = build(); pending; pending = build()) built.push(pending);
  const misses: (Pending | undefined)[] = new Array(built.length);
  let next = 0;
  const lookup = async () => {
    while (next < built.length && !input.signal?.aborted) {
      const index = next++;
      const pending = built[index] as Pending;
      try {
        pending.key = responseKey(await requestKeyParts(cache.model, pending.request));
      } catch (error) {
        // An unreadable image: the adapter will report it on the item.
        input.onEvent({ type: 'log', level: 'debug', message: `item ${pending.item.id}: no cache key (${messageOf(error)})` });
      }
      const hit = pending.key === undefined || input.refreshCache ? undefined : await cache.store.get(pending.key);
      if (hit) writer.add(answeredRecord(pending.item, pending.prompt, input.task, input.taskOptions, hit, 0, true));
      else misses[index] = pending;
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, built.length) }, lookup));
  return misses.filter((p): p is Pending => p !== undefined);
}

/** Asks for `first` and every item `source` hands out, `width` at a time (the session's concurrency, or less under a shared limit). */
async function askAll(
  first: Pending,
  source: Source,
  input: InferenceInput,
  policy: AskContext['policy'],
  store: ResponseCache | undefined,
  writer: PredictionWriter,
): Promise<void> {
  const session = await input.openSession();
  const deadlines = new DeadlineSignals(policy.itemTimeoutMs, input.signal);
  try {
    input.limiter?.adopt(session.concurrency);
    const width = Math.min(session.concurrency, input.limiter?.limit ?? Number.POSITIVE_INFINITY);
    const ctx: AskContext = {
      session,
      task: input.task,
      taskOptions: input.taskOptions,
      policy,
      deadlines,
      signal: input.signal,
      limiter: input.limiter,
      cache: store,
      random: input.random,
      onEvent: input.onEvent,
    };
    let taken: Pending | undefined = first;
    const take = () => {
      const pending = taken ?? source();
      taken = undefined;
      return pending;
    };
    // A worker sends its next request as soon as an answer is queued for writing: the write and the
    // item's event follow from the writer, off this loop. Without a shared limit or a cache, an
    // answer at the first try takes no detour through `answer` (one async frame less per item).
    const direct = !ctx.limiter && !ctx.cache;
    const worker = async () => {
      for (let pending = take(); pending && !input.signal?.aborted; pending = take()) {
        let entry: PredictionRecord | undefined;
        if (direct) {
          const clock = deadlines.join();
          const startedAt = Date.now();
          let result: GenerationResult | undefined;
          try {
            result = await session.generate(pending.request, clock.signal);
          } catch (error) {
            entry = await answer(pending, ctx, { clock, startedAt, error });
          } finally {
            deadlines.leave(clock);
          }
          if (result) entry = answeredRecord(pending.item, pending.prompt, ctx.task, ctx.taskOptions, result, 1, false);
        } else entry = await answer(pending, ctx);
        if (entry) writer.add(entry);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
  } finally {
    deadlines.close();
    await session.close();
  }
}
