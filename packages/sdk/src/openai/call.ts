import type { Dispatcher } from 'undici';
import type { GenerationRequest, GenerationResult } from '../data.js';
import { isVhbError } from '../errors.js';
import { adapterError, httpHint, httpRetry, mask, masked, snippet } from './errors.js';
import { rawHeader } from './raw-header.js';
import { CompletionStream, parseCompletion } from './reply.js';
import type { SessionShared } from './session.js';
import { SseParser } from './sse.js';
import { timingOf } from './timing.js';

/**
 * One chat completion request, as an undici dispatch handler. undici's own clients speak this
 * handler interface (`onConnect` … `onComplete`; newer-style handlers are wrapped into it), and
 * its `onConnect` comes when the request is about to be written on a connection: latency and time
 * to first token count from there, so opening a connection or waiting for a free one is not
 * counted. A streamed answer is parsed chunk by chunk as the socket delivers it, and the first
 * content token is timestamped in that same tick.
 */
export class ChatCall implements Dispatcher.DispatchHandler {
  readonly #shared: SessionShared;
  readonly #request: GenerationRequest;
  readonly #signal: AbortSignal | undefined;
  #resolve: (result: GenerationResult) => void = () => {};
  #reject: (error: unknown) => void = () => {};
  /** The session's timeout window this request is in, until it settles. */
  #window: object | undefined;
  /** undici's abort of this request, once it is on a connection. */
  #abort: ((error?: Error) => void) | undefined;
  /** Why it was aborted before it reached a connection. */
  #abortedEarly: Error | undefined;
  #timedOut = false;
  #settled = false;
  #start = 0;
  #status = 0;
  #retryAfter: string | undefined;
  /** The body of a plain JSON answer: its first chunk, then the rest (most answers are one chunk). */
  #first: Buffer | undefined;
  #more: Buffer[] | undefined;
  #sse: SseParser | undefined;
  #stream: CompletionStream | undefined;

  constructor(shared: SessionShared, request: GenerationRequest, signal: AbortSignal | undefined) {
    this.#shared = shared;
    this.#request = request;
    this.#signal = signal;
  }

  /** Sends the request; settles with the answer or a VHB_E_ADAPTER_* error (the key masked). */
  send(imageUrl: string | undefined): Promise<GenerationResult> {
    const shared = this.#shared;
    if (this.#signal?.aborted) return this.fail(this.#signal.reason);
    const promise = new Promise<GenerationResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const body = shared.bodies.text(this.#request, imageUrl);
    this.#window = shared.timeouts.add(this);
    if (this.#signal) shared.watch.add(this.#signal, this);
    shared.pool.dispatch({ path: shared.config.endpoint.path, method: 'POST', headers: shared.headers, body }, this);
    return promise;
  }

  /** A rejected promise with `error` explained and masked, for failures before the request goes out. */
  fail(error: unknown): Promise<never> {
    return Promise.reject(masked(this.#explain(error), this.#shared.config.apiKey));
  }

  /** The caller's signal aborted. */
  onAbort(): void {
    this.#stop(new Error('request aborted'));
  }

  /** `timeoutMs` passed. */
  onDeadline(): void {
    if (this.#settled) return;
    this.#timedOut = true;
    this.#stop(new Error('request timed out'));
  }

  #stop(reason: Error): void {
    if (this.#settled) return;
    if (this.#abort) this.#abort(reason);
    else {
      // Still waiting for a connection: settle now; undici drops the request when its turn comes.
      this.#abortedEarly = reason;
      this.onError(reason);
    }
  }

  onConnect(abort: (error?: Error) => void): void {
    // The clock starts here, just before undici writes the request on its connection (taken after
    // the write, a process preempted right after the write syscall would start it late and measure
    // less than the server took).
    this.#start = performance.now();
    if (this.#abortedEarly) abort(this.#abortedEarly);
    else this.#abort = abort;
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    this.#status = status;
    if (status < 200 || status >= 300) {
      this.#retryAfter = rawHeader(raw, 'retry-after');
      return true;
    }
    // Some servers ignore `stream: true` and answer with plain JSON: read what was actually sent.
    if (this.#shared.config.stream && !(rawHeader(raw, 'content-type') ?? '').includes('application/json')) {
      const stream = new CompletionStream(this.#shared.config.endpoint.url, () => performance.now() - this.#start);
      this.#stream = stream;
      this.#sse = new SseParser((data) => stream.data(data));
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    // A malformed chunk throws here; undici then aborts the request with that error (onError).
    if (this.#sse) this.#sse.push(chunk);
    else if (this.#first === undefined) this.#first = chunk;
    else if (this.#more === undefined) this.#more = [chunk];
    else this.#more.push(chunk);
    return true;
  }

  onComplete(): void {
    const { config } = this.#shared;
    const latencyMs = performance.now() - this.#start;
    try {
      if (this.#status < 200 || this.#status >= 300) throw this.#httpError();
      let reply: ReturnType<typeof parseCompletion>;
      if (this.#sse && this.#stream) {
        this.#sse.end();
        reply = this.#stream.finish();
      } else reply = parseCompletion(this.#text(), config.endpoint.url);
      this.#settle();
      this.#resolve({ text: reply.text, timing: timingOf(latencyMs, reply) });
    } catch (error) {
      this.onError(error as Error);
    }
  }

  onError(error: Error): void {
    if (this.#settled) return;
    this.#settle();
    this.#reject(masked(this.#explain(error), this.#shared.config.apiKey));
  }

  #text(): string {
    if (this.#first === undefined) return '';
    return this.#more === undefined ? this.#first.toString() : Buffer.concat([this.#first, ...this.#more]).toString();
  }

  #httpError() {
    const { endpoint, apiKey } = this.#shared.config;
    const status = this.#status;
    const text = mask(this.#text(), apiKey);
    return adapterError(
      'VHB_E_ADAPTER_HTTP',
      `HTTP ${status} from ${endpoint.url}: ${snippet(text)}`,
      httpHint(status),
      undefined,
      httpRetry(status, this.#retryAfter),
    );
  }

  #settle(): void {
    this.#settled = true;
    const { watch, timeouts } = this.#shared;
    if (this.#window) {
      timeouts.delete(this, this.#window);
      this.#window = undefined;
    }
    if (this.#signal) watch.delete(this.#signal, this);
  }

  /** Names what went wrong: our timeout, the run's interrupt, or a network failure; our own errors pass through. */
  #explain(error: unknown) {
    const { config } = this.#shared;
    const { url } = config.endpoint;
    const id = this.#request.id;
    if (this.#timedOut) {
      return adapterError(
        'VHB_E_ADAPTER_TIMEOUT',
        `item ${id}: no complete answer from ${url} within ${config.timeoutMs} ms`,
        'raise timeout_ms, lower max tokens, or lower concurrency if the server is overloaded',
        error,
        { retryable: true },
      );
    }
    if (this.#signal?.aborted) return adapterError('VHB_E_ADAPTER_ABORTED', `item ${id}: request to ${url} interrupted`, undefined, error);
    if (isVhbError(error)) return error;
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    return adapterError(
      'VHB_E_ADAPTER_CONNECT',
      `cannot reach ${url}: ${reason}`,
      'check that the server is running and the endpoint is right',
      error,
      // A refused, reset or dropped connection may be a server restarting or overloaded.
      { retryable: true },
    );
  }
}
