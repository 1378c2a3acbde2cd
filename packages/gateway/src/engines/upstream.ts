import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import { GatewayError } from '../errors.js';

/** An OpenAI-compatible server reached through one undici Pool (never the global fetch). */
export class Upstream {
  readonly pool: Pool;
  private readonly base: string;

  constructor(
    private readonly model: string,
    baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    const url = new URL(baseUrl);
    this.pool = new Pool(url.origin, { connections, pipelining: 1 });
    this.base = url.pathname.replace(/\/+$/, '');
  }

  /** POSTs JSON to `<base><path>`; a non-2xx answer becomes a GatewayError with the engine's words (masked by the caller's error handler). */
  async post(path: string, payload: unknown, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        path: `${this.base}${path}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify(payload),
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      throw this.transportError(error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await response.body.text().catch(() => '');
    throw this.statusError(response.statusCode, text, response.headers['retry-after']);
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

  private statusError(status: number, text: string, retryAfter: string | string[] | undefined): GatewayError {
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
