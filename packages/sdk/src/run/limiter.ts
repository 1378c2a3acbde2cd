/**
 * A counting semaphore for one model: every run that uses the model takes a slot per request, so
 * runs in parallel never have more than `limit` requests in flight to it together.
 * Without an explicit limit, the concurrency of the first adapter session opened for it applies
 * (runs of one model share its adapter options, so their sessions agree on it).
 */
export class ModelLimiter {
  #limit: number;
  readonly #explicit: boolean;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  /** `limit`: requests at once for the model; undefined until a session adopts its own. */
  constructor(limit?: number) {
    this.#explicit = limit !== undefined;
    this.#limit = limit ?? Number.POSITIVE_INFINITY;
  }

  /** Requests at once allowed now (Infinity before any session adopted one). */
  get limit(): number {
    return this.#limit;
  }

  /** Requests in flight now. */
  get active(): number {
    return this.#active;
  }

  /** Called with a session's own concurrency: without an explicit limit, the first one sets it. */
  adopt(concurrency: number): void {
    if (this.#explicit || this.#limit !== Number.POSITIVE_INFINITY) return;
    this.#limit = Math.max(1, concurrency);
  }

  /** Runs `work` when a slot is free, freeing it after; a waiting call whose signal aborts rejects. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.#limit) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#active += 1;
        resolve();
      };
      const onAbort = () => {
        const at = this.#waiting.indexOf(grant);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #release(): void {
    this.#active -= 1;
    while (this.#active < this.#limit && this.#waiting.length > 0) this.#waiting.shift()?.();
  }
}
