import { rawHeader, SseParser } from '@vhb/sdk/openai';
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import { GatewayError } from '../errors.js';
import type { CallCancel } from './cancel.js';
import { EventQueue } from './event-queue.js';

/**
 * One POST to the engine as an undici dispatch handler: no body stream and no AbortSignal per
 * request (the client going away cancels it through `CallCancel`). A 2xx answer is collected whole
 * (`whole`), or its SSE events are pushed to a queue as the socket delivers them (`events`); any
 * other status becomes a GatewayError once its body is read.
 */
class UpstreamCall implements Dispatcher.DispatchHandler {
  #abort: ((error?: Error) => void) | undefined;
  #cancelled = false;
  #status = 0;
  #retryAfter: string | undefined;
  #first: Buffer | undefined;
  #more: Buffer[] | undefined;
  #events: EventQueue | undefined;
  #parser: SseParser | undefined;
  #settled = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly mode: 'whole' | 'events',
    private readonly resolve: (value: string | EventQueue) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  cancel(): void {
    this.#cancelled = true;
    this.#abort?.();
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.#cancelled) abort();
    else this.#abort = abort;
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    this.#status = status;
    if (status < 200 || status >= 300) this.#retryAfter = rawHeader(raw, 'retry-after');
    else if (this.mode === 'events') {
      const events = new EventQueue();
      this.#events = events;
      this.#parser = new SseParser((data) => events.push(data));
      this.#settle(events);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#parser) this.#parser.push(chunk);
    else if (this.#first === undefined) this.#first = chunk;
    else if (this.#more === undefined) this.#more = [chunk];
    else this.#more.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#parser) {
      this.#parser.end();
      this.#events?.end();
      return;
    }
    const text =
      this.#first === undefined ? '' : this.#more ? Buffer.concat([this.#first, ...this.#more]).toString() : this.#first.toString();
    if (this.#status >= 200 && this.#status < 300) this.#settle(text);
    else this.#fail(this.upstream.statusError(this.#status, text, this.#retryAfter));
  }

  onError(error: Error): void {
    const failure = this.upstream.transportError(error);
    if (this.#events) this.#events.fail(failure);
    else this.#fail(failure);
  }

  #settle(value: string | EventQueue): void {
    if (this.#settled) return;
    this.#settled = true;
    this.resolve(value);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.reject(error);
  }
}

/** An OpenAI-compatible server reached through one undici Pool (never the global fetch), no pipelining. */
export class Upstream {
  readonly pool: Pool;
  private readonly base: string;
  private readonly headers: string[];

  constructor(
    private readonly model: string,
    baseUrl: string,
    apiKey: string | undefined,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    const url = new URL(baseUrl);
    this.pool = new Pool(url.origin, { connections, pipelining: 1 });
    this.base = url.pathname.replace(/\/+$/, '');
    this.headers = ['content-type', 'application/json', 'accept', 'application/json, text/event-stream'];
    if (apiKey) this.headers.push('authorization', `Bearer ${apiKey}`);
  }

  /** POSTs JSON to `<base><path>` and resolves with the whole 2xx body; a non-2xx answer becomes a GatewayError with the engine's words (masked by the caller's error handler). */
  complete(path: string, payload: unknown, cancel: CallCancel): Promise<string> {
    return this.#post(path, payload, cancel, 'whole') as Promise<string>;
  }

  /** POSTs JSON and resolves once the engine accepted it (2xx headers), with its SSE events as they come. */
  events(path: string, payload: unknown, cancel: CallCancel): Promise<AsyncIterable<string>> {
    return this.#post(path, payload, cancel, 'events') as Promise<EventQueue>;
  }

  #post(path: string, payload: unknown, cancel: CallCancel, mode: 'whole' | 'events'): Promise<string | EventQueue> {
    return new Promise((resolve, reject) => {
      const call = new UpstreamCall(this, mode, resolve, reject);
      cancel.onCancel(() => call.cancel());
      this.pool.dispatch(
        {
          path: `${this.base}${path}`,
          method: 'POST',
          headers: this.headers,
          body: JSON.stringify(payload),
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        },
        call,
      );
    });
  }

  /** Turns undici's transport failures into gateway errors; an abort (the client left) stays as it is. */
  transportError(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    if ((error as Error).name === 'AbortError' || code === 'UND_ERR_ABORTED') return error;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new GatewayError('VHB_E_GATEWAY_TIMEOUT', `the engine of model "${this.model}" did not answer within ${this.timeoutMs} ms`, {
        hint: 'raise the engine timeoutMs, or check the engine',
        cause: error,
      });
    }
    return new GatewayError(
      'VHB_E_GATEWAY_UPSTREAM',
      `the engine of model "${this.model}" cannot be reached: ${(error as Error).message}${code ? ` (${code})` : ''}`,
      {
        hint: 'check that the engine runs and that its URL is right',
        cause: error,
      },
    );
  }

  statusError(status: number, text: string, retryAfter: string | string[] | undefined): GatewayError {
    const detail = engineMessage(text);
    if (status === 429) {
      const after = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
      return new GatewayError('VHB_E_GATEWAY_RATE_LIMITED', `the engine of model "${this.model}" is rate limited (429)${detail}`, {
        hint: 'retry after the Retry-After delay',
        headers: after ? { 'retry-after': after } : {},
      });
    }
    return new GatewayError('VHB_E_GATEWAY_UPSTREAM', `the engine of model "${this.model}" answered ${status}${detail}`, {
      hint: status >= 500 ? 'the engine failed: see its log' : 'the engine refused the request: check the request fields it takes',
      // The engine's client errors are the client's: keep them; its failures are a bad gateway.
      status: status >= 500 ? 502 : status,
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** `: <message>` from an OpenAI-style error body, else the first 300 characters of the text. */
function engineMessage(text: string): string {
  if (!text) return '';
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (message) return `: ${message}`;
  } catch {
    // Not JSON: quote the text.
  }
  return `: ${text.slice(0, 300)}`;
}
