// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat completions wire protocol, so the
// adapter is tested against sockets, SSE framing and timing rather than a mocked client.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers the next requests; tests change it between calls. */
export interface Script {
  /** Content pieces, one per SSE chunk (or joined, for a non-streamed reply). */
  tokens?: string[];
  /** Wait before the first content chunk (or before the whole JSON reply). */
  firstDelayMs?: number;
  /** Wait between content chunks. */
  tokenDelayMs?: number;
  /** Report usage (a usage chunk when the client asks for include_usage). Default true. */
  usage?: boolean;
  /** Answer with this status and body instead of a completion. */
  status?: number;
  body?: string;
  /** Send this raw 200 body, with this content type, instead of a completion. */
  raw?: string;
  contentType?: string;
  /** Never answer. */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface OpenAIServer {
  /** Base URL with /v1, as a user would configure it. */
  baseUrl: string;
  requests: RecordedRequest[];
  script: Script;
  close(): Promise<void>;
}

/** Waits at least `ms` by performance.now(): Node's timers run on a millisecond clock and may fire up to a millisecond early. */
async function sleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
}
const sse = (res: ServerResponse, data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
const imageUrl = /^data:image\/(png|jpeg|webp|gif|bmp|tiff);base64,([A-Za-z0-9+/]+={0,2})$/;

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/**
 * Starts the server. With `apiKey` it answers 401 to any other Authorization header, echoing the
 * key it got the way OpenAI does; with `expectedImage` it answers 400 to an image_url that is not a
 * base64 data URL of exactly those bytes.
 */
export async function startOpenAIServer(check: { apiKey?: string; expectedImage?: Buffer } = {}): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = [];
  const state: OpenAIServer = { baseUrl: '', requests, script: {}, close: async () => {} };

  const server = createServer(async (req, res) => {
    req.socket.setNoDelay(true);
    let text = '';
    for await (const part of req) text += part;
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const script = state.script;

    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    if (check.apiKey !== undefined && req.headers.authorization !== `Bearer ${check.apiKey}`) {
      const got = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${got}.` } }));
      return;
    }
    for (const message of body?.messages ?? []) {
      for (const part of Array.isArray(message.content) ? message.content : []) {
        if (part.type !== 'image_url') continue;
        const match = imageUrl.exec(part.image_url?.url ?? '');
        if (!match || (check.expectedImage && !Buffer.from(match[2] as string, 'base64').equals(check.expectedImage))) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid image_url"}}');
          return;
        }
      }
    }
    if (script.hang) return;
    if (script.status !== undefined) {
      res.writeHead(script.status, { 'content-type': 'application/json' }).end(script.body ?? '');
      return;
    }
    if (script.raw !== undefined) {
      res.writeHead(200, { 'content-type': script.contentType ?? 'text/event-stream' }).end(script.raw);
      return;
    }

    const tokens = script.tokens ?? ['ok'];
    const usage = { prompt_tokens: 17, completion_tokens: tokens.length, total_tokens: 17 + tokens.length };
    if (!body.stream) {
      await sleep(script.firstDelayMs ?? 0);
      const reply = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: 'stop' }],
        ...(script.usage === false ? {} : { usage }),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    // Like vLLM, the role chunk carries an empty content string: it must not count as the first token.
    sse(res, chunk({ role: 'assistant', content: '' }));
    await sleep(script.firstDelayMs ?? 0);
    for (const [i, token] of tokens.entries()) {
      if (i > 0) await sleep(script.tokenDelayMs ?? 0);
      sse(res, chunk({ content: token }));
    }
    sse(res, chunk({}, 'stop'));
    if (script.usage !== false && body.stream_options?.include_usage) {
      sse(res, { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'fake', choices: [], usage });
    }
    sse(res, '[DONE]');
    res.end();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
