import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { callAt } from './clock.js';
import {
  completionJson,
  countPromptTokens,
  defaultAnswer,
  defaultChunks,
  errorJson,
  invalidChatBody,
  lastUserText,
  type Usage,
} from './protocol.js';
import { writeStream } from './stream.js';
import type { Behaviour, ChatRequestBody, Counts, Failure, RecordedRequest, TestEngine, TestEngineOptions } from './types.js';

const CHAT = '/v1/chat/completions';
const MODELS = '/v1/models';
const HEALTH = '/health';
const ROUTES: Record<string, string> = { [CHAT]: 'POST', [MODELS]: 'GET', [HEALTH]: 'GET' };
const NOT_JSON = Symbol('not JSON');

/** Starts an OpenAI-compatible chat completions server on `node:http`; resolves once it listens. */
export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const engine = new Engine(options);
  await engine.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return engine;
}

function emptyCounts(): Counts {
  return { total: 0, completions: 0, byStatus: {}, byPrompt: new Map(), completedByPrompt: new Map() };
}

function delay(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function checkFailure(failure: Failure): void {
  if (typeof failure !== 'object' || failure === null) throw new TypeError('failNext: a failure must be an object.');
  if ('reset' in failure && failure.reset === true) return;
  if ('hang' in failure && failure.hang === true) return;
  const status = 'status' in failure ? failure.status : undefined;
  if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
    throw new TypeError(
      `failNext: ${JSON.stringify(failure)} is not a failure; use { status: 429 | 500..599, retryAfter?, body? }, { reset: true } or { hang: true }.`,
    );
  }
}

class Engine implements TestEngine {
  url = '';
  baseUrl = '';
  port = 0;
  behaviour: Behaviour;
  requests: RecordedRequest[] = [];
  counts: Counts = emptyCounts();

  readonly #server: Server;
  readonly #initial: Behaviour;
  readonly #models: string[];
  readonly #auth: string | undefined;
  readonly #record: boolean;
  readonly #onFirstContent: TestEngineOptions['onFirstContent'];
  #failures: Failure[] = [];
  #seq = 0;
  #closed: Promise<void> | undefined;

  constructor(options: TestEngineOptions) {
    this.#initial = { ttftMs: 0, tokenDelayMs: 0, answer: defaultAnswer, chunks: defaultChunks, ...options.behaviour };
    this.behaviour = { ...this.#initial };
    this.#models = options.models?.length ? [...options.models] : ['test-model'];
    this.#auth = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
    this.#record = options.record ?? true;
    this.#onFirstContent = options.onFirstContent;
    this.#server = createServer({ noDelay: true }, (req, res) => this.#onRequest(req, res));
    this.#server.keepAliveTimeout = 60_000;
    this.#server.headersTimeout = 65_000;
    this.#server.on('connection', (socket) => socket.setNoDelay(true));
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        this.port = (this.#server.address() as AddressInfo).port;
        this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
        this.baseUrl = `${this.url}/v1`;
        resolve();
      });
    });
  }

  failNext(...failures: Failure[]): void {
    for (const failure of failures) checkFailure(failure);
    this.#failures.push(...failures);
  }

  reset(): void {
    this.requests.length = 0;
    this.counts = emptyCounts();
    this.#failures = [];
    Object.assign(this.behaviour, this.#initial);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    this.counts.total++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 0 ? '' : chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
      this.#handle(req, res, raw, t0);
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse, raw: string, t0: number): void {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const path = query < 0 ? target : target.slice(0, query);
    const method = req.method ?? 'GET';
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = NOT_JSON;
      }
    }
    let rec: RecordedRequest | undefined;
    if (this.#record) {
      rec = { method, path, url: target, headers: req.headers, body: body === NOT_JSON ? undefined : body, status: 0, at: Date.now() };
      this.requests.push(rec);
    }
    // /health stays open, as vLLM's and SGLang's do: a supervisor polls it without the key.
    if (this.#auth !== undefined && path !== HEALTH && req.headers.authorization !== this.#auth) {
      const message = req.headers.authorization ? 'Incorrect API key provided.' : 'Missing API key: send Authorization: Bearer <key>.';
      this.#send(res, rec, 401, errorJson(message, 'invalid_request_error', 'invalid_api_key'));
      return;
    }
    const allowed = ROUTES[path];
    if (allowed === undefined) {
      this.#send(res, rec, 404, errorJson(`Not found: ${method} ${path}`, 'invalid_request_error', 'not_found'));
      return;
    }
    if (method !== allowed) {
      const message = `Method ${method} not allowed on ${path}; use ${allowed}.`;
      this.#send(res, rec, 405, errorJson(message, 'invalid_request_error'), { allow: allowed });
      return;
    }
    if (path === CHAT) {
      this.#chat(req, res, rec, body, t0);
      return;
    }
    if (path === HEALTH) {
      this.#send(res, rec, 200, '{"status":"ok"}');
      return;
    }
    const created = Math.floor(Date.now() / 1000);
    const data = this.#models.map((id) => ({ id, object: 'model', created, owned_by: 'vhb-test-engine' }));
    this.#send(res, rec, 200, JSON.stringify({ object: 'list', data }));
  }

  #send(res: ServerResponse, rec: RecordedRequest | undefined, status: number, json: string, headers?: Record<string, string>): void {
    const type = json.startsWith('{') || json.startsWith('[') ? 'application/json' : 'text/plain; charset=utf-8';
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(json), ...headers });
    res.end(json);
    this.#answered(rec, status);
  }

  #answered(rec: RecordedRequest | undefined, status: number): void {
    if (rec) rec.status = status;
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
  }

  #completed(prompt: string): void {
    this.counts.completions++;
    bump(this.counts.completedByPrompt, prompt);
  }

  #chat(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest | undefined, parsed: unknown, t0: number): void {
    if (parsed === NOT_JSON) {
      this.#send(res, rec, 400, errorJson('We could not parse the JSON body of your request.', 'invalid_request_error'));
      return;
    }
    const invalid = invalidChatBody(parsed);
    if (invalid !== undefined) {
      this.#send(res, rec, 400, errorJson(invalid, 'invalid_request_error'));
      return;
    }
    const body = parsed as ChatRequestBody;
    const prompt = lastUserText(body.messages);
    bump(this.counts.byPrompt, prompt);

    const failure = this.#failures.shift();
    if (failure !== undefined) {
      this.#fail(req, res, rec, failure);
      return;
    }

    const behaviour = this.behaviour;
    let pieces: string[];
    try {
      pieces = behaviour.chunks(behaviour.answer(body));
    } catch (error) {
      const message = `The test engine's behaviour.answer or behaviour.chunks threw: ${error instanceof Error ? error.message : String(error)}`;
      this.#send(res, rec, 500, errorJson(message, 'server_error'));
      return;
    }
    const prompt_tokens = countPromptTokens(body.messages);
    const usage: Usage = { prompt_tokens, completion_tokens: pieces.length, total_tokens: prompt_tokens + pieces.length };
    const id = `chatcmpl-test-${++this.#seq}`;
    const model = typeof body.model === 'string' ? body.model : (this.#models[0] as string);
    const ttft = delay(behaviour.ttftMs);
    const gap = delay(behaviour.tokenDelayMs);
    if (body.stream === true) {
      const withUsage = body.stream_options?.include_usage === true;
      this.#answered(rec, 200);
      const report = this.#onFirstContent;
      // Reported after the turn, so that reporting (a log line, say) never delays the chunk itself.
      const onFirst = report ? (lateMs: number) => void setImmediate(report, { prompt, dueMs: ttft, lateMs }) : undefined;
      writeStream(res, { id, model, pieces, usage, withUsage, due: t0 + ttft, gap, onFirst }, () => this.#completed(prompt));
      return;
    }

    const reply = (): void => {
      if (res.destroyed) return;
      this.#send(res, rec, 200, completionJson(id, Math.floor(Date.now() / 1000), model, pieces.join(''), usage));
      this.#completed(prompt);
    };
    const total = ttft + gap * Math.max(0, pieces.length - 1);
    if (total === 0) {
      reply();
      return;
    }
    const cancel = callAt(t0 + total, reply, true);
    res.on('close', cancel);
  }

  #fail(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest | undefined, failure: Failure): void {
    if ('reset' in failure) {
      req.socket.destroy();
      return;
    }
    if ('hang' in failure) return;
    const { status, retryAfter, body } = failure;
    const json =
      body ??
      (status === 429
        ? errorJson('Rate limit reached (test engine failNext).', 'rate_limit_error', 'rate_limit_exceeded')
        : errorJson(`The server had an error while processing your request (test engine failNext, status ${status}).`, 'server_error'));
    this.#send(res, rec, status, json, retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) });
  }
}
