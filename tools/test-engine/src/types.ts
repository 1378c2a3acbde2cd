import type { IncomingHttpHeaders } from 'node:http';

/** The parsed JSON body of a chat request (at least `messages`; anything else the client sent). */
export interface ChatRequestBody {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  [field: string]: unknown;
}

/** One message; `content` is a string or an array of parts (`text`, `image_url`). */
export interface ChatMessage {
  role?: string;
  content?: string | ContentPart[] | null;
  [field: string]: unknown;
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } | string }
  | { type: string; [field: string]: unknown };

/** How the engine answers; `engine.behaviour` may be changed between requests. */
export interface Behaviour {
  /** Milliseconds from the request's arrival to the first content chunk (or to a non-streamed reply). */
  ttftMs: number;
  /** Milliseconds between content chunks (a non-streamed reply waits for all of them). */
  tokenDelayMs: number;
  /** The answer to a request. Default: `echo: <text of the last user message>`. */
  answer: (body: ChatRequestBody) => string;
  /** The answer cut into content chunks, one per token. Default: whitespace-led words (`/\s*\S+/g`). */
  chunks: (answer: string) => string[];
}

/** A failure that replaces the next chat request's answer (`engine.failNext`). */
export type Failure =
  /** Answer with this status (429, or 500..599; any 400..599 is accepted), an optional `Retry-After` and body. */
  | { status: number; retryAfter?: string | number; body?: string }
  /** Destroy the connection without answering. */
  | { reset: true }
  /** Never answer (until the client gives up or the engine closes). */
  | { hang: true };

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The request target as sent, query string included. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON; `undefined` when empty or not JSON. */
  body: unknown;
  /** The status answered; 0 while unanswered, and for `reset` and `hang` failures. */
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface Counts {
  /** Every request received, on any path. */
  total: number;
  /** Chat requests answered 200 to the end (the last byte handed to the connection). */
  completions: number;
  /** Answers sent, per HTTP status. */
  byStatus: Record<number, number>;
  /** Valid chat requests per text of their last user message, whatever the answer. */
  byPrompt: Map<string, number>;
  /** The same, counting only answers written completely. */
  completedByPrompt: Map<string, number>;
}

export interface TestEngineOptions {
  /** Default `'127.0.0.1'`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** When set, every request needs `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Listed by `GET /v1/models`. Default `['test-model']`. */
  models?: string[];
  /** Keep every request in `engine.requests`. Default true; false for benchmarks. */
  record?: boolean;
  behaviour?: Partial<Behaviour>;
  /**
   * Called as each streamed answer's first content chunk is written, with how late that is against
   * `ttftMs` (its timer and the process's scheduling): what a client's TTFT error owes to the engine.
   */
  onFirstContent?: (event: FirstContent) => void;
}

/** A streamed answer's first content chunk, as it is written. */
export interface FirstContent {
  /** The text of the request's last user message. */
  prompt: string;
  /** Milliseconds after the request arrived at which `ttftMs` was due. */
  dueMs: number;
  /** Milliseconds between the due time and the write (0 or more). */
  lateMs: number;
}

export interface TestEngine {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** `http://HOST:PORT/v1`, the base URL OpenAI clients take. */
  readonly baseUrl: string;
  readonly port: number;
  /** Read at each request; change its fields (or replace it) between requests. */
  behaviour: Behaviour;
  /** Queue failures; each chat request takes the next one instead of its answer. */
  failNext(...failures: Failure[]): void;
  readonly requests: RecordedRequest[];
  readonly counts: Counts;
  /** Clears requests, counts and the failure queue; behaviour back to the options'. */
  reset(): void;
  /** Stops listening and drops every connection, hanging ones included. */
  close(): Promise<void>;
}
