import type { AdapterSession, GenerationRequest, GenerationResult } from '@vhb/sdk';
import { isVhbError } from '@vhb/sdk';
import { Pool } from 'undici';
import { buildBody } from './body.js';
import type { Endpoint } from './endpoint.js';
import { adapterError, httpHint, httpRetry, mask, masked, snippet } from './errors.js';
import { imageDataUrl } from './image.js';
import type { OpenAIOptions } from './options.js';
import { parseCompletion, readCompletionStream } from './reply.js';
import { timingOf } from './timing.js';

export interface SessionConfig {
  endpoint: Endpoint;
  model: string;
  apiKey: string | undefined;
  options: OpenAIOptions;
}

/** One pool of keep-alive connections to the endpoint, `concurrency` wide. */
export function openSession(config: SessionConfig): AdapterSession {
  const { endpoint, options, apiKey } = config;
  // Our own wall-clock timeout covers the whole request, so undici's per-phase timers are off.
  const pool = new Pool(endpoint.origin, { connections: options.concurrency, headersTimeout: 0, bodyTimeout: 0 });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.stream ? 'text/event-stream' : 'application/json',
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  async function send(request: GenerationRequest, signal: AbortSignal): Promise<GenerationResult> {
    const imageUrl = request.image === undefined ? undefined : await imageDataUrl(request.image);
    const body = JSON.stringify(buildBody(request, config.model, options, imageUrl));
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
        options.stream && !type.includes('application/json')
          ? await readCompletionStream(response.body, endpoint.url, elapsed)
          : parseCompletion(await response.body.text(), endpoint.url);
      return { text: reply.text, timing: timingOf(elapsed(), reply) };
    } finally {
      // A body left half-read would hold its connection; after a full read this does nothing.
      if (!response.body.destroyed) response.body.destroy();
    }
  }

  return {
    concurrency: options.concurrency,
    async generate(request, signal) {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), options.timeout_ms);
      const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
      try {
        return await send(request, combined);
      } catch (error) {
        throw masked(explain(error, request, timeout.signal, signal, config), apiKey);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.close(),
  };
}

/** Names what went wrong: our timeout, the run's interrupt, or a network failure; our own errors pass through. */
function explain(error: unknown, request: GenerationRequest, timeout: AbortSignal, signal: AbortSignal | undefined, config: SessionConfig) {
  const { url } = config.endpoint;
  if (timeout.aborted) {
    return adapterError(
      'VHB_E_ADAPTER_TIMEOUT',
      `item ${request.id}: no complete answer from ${url} within ${config.options.timeout_ms} ms`,
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
