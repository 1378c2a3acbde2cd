import { Pool } from 'undici';
import type { GenerationRequest, GenerationResult } from '../data.js';
import { isVhbError } from '../errors.js';
import type { AdapterSession } from '../plugins.js';
import { buildChatBody } from './body.js';
import type { Endpoint } from './endpoint.js';
import { adapterError, httpHint, httpRetry, mask, masked, snippet } from './errors.js';
import { imageDataUrl } from './image.js';
import { parseCompletion, readCompletionStream } from './reply.js';
import { timingOf } from './timing.js';

/** Everything a chat session needs; adapters map their options onto it. */
export interface ChatSessionConfig {
  endpoint: Endpoint;
  /** Sent as `model`. */
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set, and masked as `***` in every error. */
  apiKey: string | undefined;
  /** Wall-clock limit for one request, from sending it to the last byte of the answer. */
  timeoutMs: number;
  /** Stream the answer (SSE), which is what makes time to first token measurable. */
  stream: boolean;
  /** Requests in flight at once (and connections kept open). */
  concurrency: number;
  /** Fields added to every request body; the run's settings win over them. */
  extraBody?: Record<string, unknown>;
}

/** One undici pool of keep-alive connections to the endpoint, `concurrency` wide. */
export function openChatSession(config: ChatSessionConfig): AdapterSession {
  const { endpoint, apiKey } = config;
  // Our own wall-clock timeout covers the whole request, so undici's per-phase timers are off.
  const pool = new Pool(endpoint.origin, { connections: config.concurrency, headersTimeout: 0, bodyTimeout: 0 });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: config.stream ? 'text/event-stream' : 'application/json',
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const bodyOptions = { stream: config.stream, extraBody: config.extraBody };

  async function send(request: GenerationRequest, signal: AbortSignal): Promise<GenerationResult> {
    const imageUrl = request.image === undefined ? undefined : await imageDataUrl(request.image);
    const body = JSON.stringify(buildChatBody(request, config.model, bodyOptions, imageUrl));
    const start = performance.now();
    const elapsed = () => performance.now() - start;
    const response = await pool.request({ path: endpoint.path, method: 'POST', headers, body, signal });
    try {
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = mask(await response.body.text(), apiKey);
        const status = response.statusCode;
        const retry = httpRetry(status, response.headers['retry-after']);
        throw adapterError(
          'VHB_E_ADAPTER_HTTP',
          `HTTP ${status} from ${endpoint.url}: ${snippet(text)}`,
          httpHint(status),
          undefined,
          retry,
        );
      }
      // Some servers ignore `stream: true` and answer with plain JSON: read what was actually sent.
      const type = String(response.headers['content-type'] ?? '');
      const reply =
        config.stream && !type.includes('application/json')
          ? await readCompletionStream(response.body, endpoint.url, elapsed)
          : parseCompletion(await response.body.text(), endpoint.url);
      return { text: reply.text, timing: timingOf(elapsed(), reply) };
    } finally {
      // A body left half-read would hold its connection; after a full read this does nothing.
      if (!response.body.destroyed) response.body.destroy();
    }
  }

  return {
    concurrency: config.concurrency,
    async generate(request, signal) {
      // One controller for both our timeout and the caller's signal: AbortSignal.any costs a
      // WeakRef and a finalizer per request (Node 20), measurable at thousands of requests a second.
      const controller = new AbortController();
      const timeout = { aborted: false };
      const timer = setTimeout(() => {
        timeout.aborted = true;
        controller.abort();
      }, config.timeoutMs);
      const forward = () => controller.abort(signal?.reason);
      if (signal?.aborted) forward();
      else signal?.addEventListener('abort', forward, { once: true });
      try {
        return await send(request, controller.signal);
      } catch (error) {
        throw masked(explain(error, request, timeout, signal, config), apiKey);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', forward);
      }
    },
    close: () => pool.close(),
  };
}

/** Names what went wrong: our timeout, the run's interrupt, or a network failure; our own errors pass through. */
function explain(
  error: unknown,
  request: GenerationRequest,
  timeout: { readonly aborted: boolean },
  signal: AbortSignal | undefined,
  config: ChatSessionConfig,
) {
  const { url } = config.endpoint;
  if (timeout.aborted) {
    return adapterError(
      'VHB_E_ADAPTER_TIMEOUT',
      `item ${request.id}: no complete answer from ${url} within ${config.timeoutMs} ms`,
      'raise timeout_ms, lower max tokens, or lower concurrency if the server is overloaded',
      error,
      { retryable: true },
    );
  }
  if (signal?.aborted) return adapterError('VHB_E_ADAPTER_ABORTED', `item ${request.id}: request to ${url} interrupted`, undefined, error);
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
