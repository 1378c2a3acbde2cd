/**
 * Cancels one engine call when its client goes away. An `AbortController` per request costs
 * several microseconds in Node 20 (an EventTarget tracked for garbage collection), so HTTP engines
 * register one plain callback instead; a real `AbortSignal` is made only for callers that need one
 * (in-process adapters take a signal).
 */
export class CallCancel {
  #cancelled = false;
  #onCancel: (() => void) | undefined;
  #controller: AbortController | undefined;

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** An AbortSignal that aborts on cancel (made on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  /** Sets what cancelling does (one callback: the call in flight); runs it at once when already cancelled. */
  onCancel(callback: (() => void) | undefined): void {
    this.#onCancel = callback;
    if (this.#cancelled) callback?.();
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#onCancel?.();
    this.#controller?.abort();
  }
}
