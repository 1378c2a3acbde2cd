/**
 * Writes sent in the order they were queued, without the caller waiting for them. The writes a
 * caller makes in one go are drained together on the next microtask. `drain` takes items off the
 * front of the array as each is written, so what a failure leaves behind stays first in line: the
 * next write or `flush()` sends it again, and `flush()` reports the failure.
 */
export class WriteQueue<T> {
  readonly #pending: T[] = [];
  readonly #drain: (pending: T[]) => Promise<void>;
  #chain: Promise<void> = Promise.resolve();
  /** A drain queued behind the one in progress: later calls join it rather than queueing more (a dead server costs one timeout, not one per write). */
  #waiting: Promise<void> | undefined;
  #scheduled = false;

  constructor(drain: (pending: T[]) => Promise<void>) {
    this.#drain = drain;
  }

  /** Items not written yet. */
  get size(): number {
    return this.#pending.length;
  }

  push(item: T): void {
    this.#pending.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      // A background failure is not lost: its items stay queued for flush(), which reports it.
      this.#run().catch(() => {});
    });
  }

  /** Resolves when everything queued before the call is written; rejects if that fails. */
  flush(): Promise<void> {
    return this.#run();
  }

  #run(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    const next = this.#chain.then(() => {
      this.#waiting = undefined;
      return this.#pending.length > 0 ? this.#drain(this.#pending) : undefined;
    });
    this.#waiting = next;
    this.#chain = next.catch(() => {});
    return next;
  }
}
