/**
 * SSE `data` events pushed as a socket delivers them, read with `for await`: the bridge between an
 * undici dispatch handler (push) and the route that streams them on (pull).
 */
export class EventQueue implements AsyncIterable<string> {
  #events: string[] = [];
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  push(data: string): void {
    this.#events.push(data);
    this.#signal();
  }

  end(): void {
    this.#ended = true;
    this.#signal();
  }

  fail(error: unknown): void {
    this.#error ??= error;
    this.#ended = true;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      if (this.#events.length > 0) {
        const events = this.#events;
        this.#events = [];
        yield* events;
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
