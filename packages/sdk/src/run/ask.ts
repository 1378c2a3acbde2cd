import type { DatasetItem, GenerationRequest, PredictionRecord } from '../data.js';
import { retryAdviceOf } from '../errors.js';
import type { AdapterSession, TaskPlugin } from '../plugins.js';
import type { ResponseCache } from './cache.js';
import type { DeadlineGroup, DeadlineSignals } from './deadlines.js';
import type { ModelLimiter } from './limiter.js';
import { answeredRecord, codeOf, failedRecord, messageOf } from './records.js';
import { backoffDelay, type InferencePolicy, sleep } from './retry.js';
import type { RunEvent } from './spec.js';

/** Error code of an item that got no answer within the run's `itemTimeoutMs`, retries included. */
export const ITEM_TIMEOUT = 'VHB_E_ITEM_TIMEOUT';

/** An item that still needs a request. */
export interface Pending {
  item: DatasetItem;
  request: GenerationRequest;
  /** Id of its prompt, as its record names it. */
  prompt: string;
  /** Its response cache key, when the cache is in use. */
  key?: string;
}

/** What every item of a run asks with; built once per run. */
export interface AskContext {
  session: AdapterSession;
  task: TaskPlugin<any>;
  taskOptions: unknown;
  policy: InferencePolicy;
  /** Item clocks: items that start close together share a timeout signal (aborted by an interrupt too). */
  deadlines: DeadlineSignals;
  /** The run's interrupt. */
  signal: AbortSignal | undefined;
  limiter: ModelLimiter | undefined;
  cache: ResponseCache | undefined;
  random: (() => number) | undefined;
  onEvent: (event: RunEvent) => void;
}

function timedOut(pending: Pending, policy: InferencePolicy, attempts: number, last?: unknown): PredictionRecord {
  const why = last === undefined ? '' : `; last error: ${messageOf(last)}`;
  const message = `item ${pending.item.id}: no answer within ${policy.itemTimeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}${why})`;
  return failedRecord(pending.item, pending.prompt, { code: ITEM_TIMEOUT, message }, attempts);
}

/** A first attempt the caller already made and that failed: its clock (the caller leaves it), when it started, the error. */
export interface FirstAttempt {
  clock: DeadlineGroup;
  /** Date.now() when the first request started. */
  startedAt: number;
  error: unknown;
}

/**
 * Asks for one item until it is answered, fails for good, or runs out of time; undefined when the
 * run was interrupted. The item's clock starts with its first request; a shared deadline signal
 * (never early, at most a fiftieth of the timeout late) aborts a request still in flight then.
 * With `first`, it goes on after a failed first attempt the caller made itself.
 */
export async function answer(pending: Pending, ctx: AskContext, first?: FirstAttempt): Promise<PredictionRecord | undefined> {
  const { item, request, key } = pending;
  const { policy, signal: interrupt, limiter } = ctx;
  let clock: DeadlineGroup | undefined = first?.clock;
  let deadline = first ? first.startedAt + policy.itemTimeoutMs : Number.POSITIVE_INFINITY;
  let attempts = first ? 1 : 0;
  const ask = () => {
    if (clock === undefined) {
      clock = ctx.deadlines.join();
      deadline = Date.now() + policy.itemTimeoutMs;
    }
    attempts += 1;
    return ctx.session.generate(request, clock.signal);
  };
  let failure: { error: unknown } | undefined = first;
  try {
    for (;;) {
      if (failure === undefined) {
        try {
          const result = await (limiter ? limiter.run(ask, interrupt) : ask());
          if (ctx.cache && key !== undefined) {
            try {
              await ctx.cache.put(key, result);
            } catch (error) {
              ctx.onEvent({ type: 'log', level: 'warn', message: `response cache: cannot save item ${item.id}: ${messageOf(error)}` });
            }
          }
          return answeredRecord(item, pending.prompt, ctx.task, ctx.taskOptions, result, attempts, false);
        } catch (error) {
          failure = { error };
        }
      }
      const { error } = failure;
      failure = undefined;
      if (interrupt?.aborted) return undefined;
      if (clock?.signal.aborted) return timedOut(pending, policy, attempts);
      const advice = retryAdviceOf(error);
      const reason = { code: codeOf(error), message: messageOf(error) };
      if (!advice || attempts >= policy.maxAttempts) return failedRecord(item, pending.prompt, reason, attempts);
      const waitMs = backoffDelay(attempts, policy, ctx.random, advice.afterMs);
      // A wait that would end past the item's deadline cannot help: time out now, naming the last error.
      if (Date.now() + waitMs >= deadline) return timedOut(pending, policy, attempts, error);
      ctx.onEvent({ type: 'retry', id: item.id, attempt: attempts, ...reason, waitMs });
      try {
        await sleep(waitMs, clock?.signal ?? interrupt);
      } catch {
        if (interrupt?.aborted) return undefined;
        return timedOut(pending, policy, attempts, error);
      }
    }
  } finally {
    if (clock !== undefined && !first) ctx.deadlines.leave(clock);
  }
}
