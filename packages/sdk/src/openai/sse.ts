const LF = 10;
const CR = 13;

/**
 * A push parser of Server-Sent Events: bytes (or text) in, the `data` of each event out, through
 * `onData`, synchronously. Multi-line data is joined with "\n" as the SSE spec says; comments
 * (`:`) and other fields (`event`, `id`, `retry`) are skipped. Synchronous so that a caller can
 * timestamp an event in the same tick its bytes arrived (time to first token).
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  readonly #onData: (data: string) => void;
  #buffer = '';
  #data: string[] = [];

  constructor(onData: (data: string) => void) {
    this.#onData = onData;
  }

  /** Parses one chunk; events it completes are handed to `onData` before this returns. */
  push(chunk: Uint8Array | string): void {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    this.#lines(false);
  }

  /** The stream ended: whatever is left are whole lines, and an unterminated event still counts. */
  end(): void {
    this.#buffer += this.#decoder.decode();
    this.#lines(true);
    this.#line('');
  }

  #lines(final: boolean): void {
    const buffer = this.#buffer;
    let start = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const c = buffer.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      // A lone "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (c === CR && i === buffer.length - 1 && !final) break;
      this.#line(buffer.slice(start, i));
      if (c === CR && buffer.charCodeAt(i + 1) === LF) i += 1;
      start = i + 1;
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
    if (final) {
      this.#line(this.#buffer);
      this.#buffer = '';
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length === 0) return;
      const data = this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join('\n');
      this.#data = [];
      this.#onData(data);
    } else if (line.startsWith('data:')) {
      this.#data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
    }
  }
}

/** Yields the `data` of each Server-Sent Event in a byte stream (see {@link SseParser}). */
export async function* sseData(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let ready: string[] = [];
  const parser = new SseParser((data) => ready.push(data));
  for await (const chunk of chunks) {
    parser.push(chunk);
    if (ready.length > 0) {
      const out = ready;
      ready = [];
      yield* out;
    }
  }
  parser.end();
  yield* ready;
}
