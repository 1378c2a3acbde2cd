/**
 * Yields the `data` of each Server-Sent Event in a byte stream. Multi-line data is joined with
 * "\n" as the SSE spec says; comments (`:`) and other fields (`event`, `id`, `retry`) are skipped.
 */
export async function* sseData(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const flushLine = function* (line: string): Generator<string> {
    if (line === '') {
      if (data.length) yield data.join('\n');
      data = [];
    } else if (line.startsWith('data:')) {
      const value = line.slice(5);
      data.push(value.startsWith(' ') ? value.slice(1) : value);
    }
  };
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end = buffer.search(/\r\n|\r|\n/);
    while (end !== -1) {
      const line = buffer.slice(0, end);
      // A lone "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      buffer = buffer.slice(buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1);
      yield* flushLine(line);
      end = buffer.search(/\r\n|\r|\n/);
    }
  }
  buffer += decoder.decode();
  // The stream ended: whatever is left are whole lines, and an unterminated event still counts.
  for (const line of buffer.split(/\r\n|\r|\n/)) yield* flushLine(line);
  yield* flushLine('');
}
