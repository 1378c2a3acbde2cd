import type { InferenceSpec } from './spec.js';

/** Every inference setting, resolved. */
export type InferencePolicy = Required<Omit<InferenceSpec, 'concurrency'>> & Pick<InferenceSpec, 'concurrency'>;

/**
 * Defaults of a run's `inference` block: 6 attempts (5 retries), backoff from 500 ms doubling up
 * to 30 s, 10 minutes per item, response cache on.
 */
export const INFERENCE_DEFAULTS = {
  maxAttempts: 6,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  itemTimeoutMs: 600_000,
  cache: true,
} as const;

/** A run's inference settings with the defaults filled in. */
export function inferencePolicy(spec: InferenceSpec | undefined): InferencePolicy {
  const set = Object.fromEntries(Object.entries(spec ?? {}).filter(([, value]) => value !== undefined));
  return { ...INFERENCE_DEFAULTS, ...set };
}

/**
 * How long to wait before attempt `failed + 1`, after `failed` failed attempts: exponential backoff
 * with full jitter, `random() · min(maxBackoffMs, backoffMs · 2^(failed-1))`, but never less than
 * the server asked for (`afterMs`, from `Retry-After`), itself capped at `maxBackoffMs`.
 * `random` returns a number in [0, 1) (Math.random, or a seeded generator in tests).
 */
export function backoffDelay(
  failed: number,
  policy: Pick<InferencePolicy, 'backoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
  afterMs?: number,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, failed - 1));
  const jittered = Math.floor(random() * ceiling);
  const asked = afterMs === undefined ? 0 : Math.min(Math.max(0, afterMs), policy.maxBackoffMs);
  return Math.max(jittered, asked);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
