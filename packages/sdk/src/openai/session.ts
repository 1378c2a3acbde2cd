import { Pool } from 'undici';
import type { GenerationRequest, GenerationResult } from '../data.js';
import type { AdapterSession } from '../plugins.js';
import { AbortWatch, DeadlineWindows } from '../run/deadlines.js';
import { ChatBodyText } from './body.js';
import { ChatCall } from './call.js';
import type { Endpoint } from './endpoint.js';
import { imageDataUrl } from './image.js';

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

/** What every call of a session shares. */
export interface SessionShared {
  readonly config: ChatSessionConfig;
  readonly pool: Pool;
  /** Request headers as undici's flat [name, value, ...] list. */
  readonly headers: string[];
  readonly bodies: ChatBodyText;
  /** The callers' signals, one listener per signal. */
  readonly watch: AbortWatch<ChatCall>;
  /** `timeoutMs` per request, one timer per window of requests. */
  readonly timeouts: DeadlineWindows<ChatCall>;
}

/**
 * One undici pool of keep-alive connections to the endpoint, `concurrency` wide, no pipelining.
 * Each request is dispatched with its own small handler (`ChatCall`) instead of `pool.request`:
 * no body stream, no AbortSignal per request, and the answer parsed as its bytes arrive.
 */
export function openChatSession(config: ChatSessionConfig): AdapterSession {
  const { endpoint, apiKey } = config;
  // Our own wall-clock timeout covers the whole request, so undici's per-phase timers are off.
  const pool = new Pool(endpoint.origin, { connections: config.concurrency, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  const headers = ['content-type', 'application/json', 'accept', config.stream ? 'text/event-stream' : 'application/json'];
  if (apiKey) headers.push('authorization', `Bearer ${apiKey}`);
  const shared: SessionShared = {
    config,
    pool,
    headers,
    bodies: new ChatBodyText(config.model, { stream: config.stream, extraBody: config.extraBody }),
    watch: new AbortWatch<ChatCall>(),
    timeouts: new DeadlineWindows<ChatCall>(config.timeoutMs),
  };

  return {
    concurrency: config.concurrency,
    generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
      if (request.image === undefined) return new ChatCall(shared, request, signal).send(undefined);
      // The image is read before the request goes out: a bad path fails the item, not the connection.
      return imageDataUrl(request.image).then(
        (url) => new ChatCall(shared, request, signal).send(url),
        (error: unknown) => new ChatCall(shared, request, signal).fail(error),
      );
    },
    async close() {
      shared.timeouts.close();
      await pool.close();
    },
  };
}
