/**
 * Reads a server-sent-events body and yields the `data` of each event as soon as the event is
 * complete (an empty line ends it), so a stream passes through chunk by chunk.
 */
export async function* sseData(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end = boundary(buffer);
    while (end) {
      const data = dataOf(buffer.slice(0, end.index));
      buffer = buffer.slice(end.index + end.length);
      if (data !== undefined) yield data;
      end = boundary(buffer);
    }
  }
  buffer += decoder.decode();
  const data = dataOf(buffer);
  if (data !== undefined) yield data;
}

function boundary(text: string): { index: number; length: number } | undefined {
  const match = /\r?\n\r?\n/.exec(text);
  return match ? { index: match.index, length: match[0].length } : undefined;
}

/** The data lines of one event, joined; undefined for events without data (comments, keep-alives). */
function dataOf(event: string): string | undefined {
  const lines = event
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  return lines.length ? lines.join('\n') : undefined;
}

/** One SSE event carrying `data`. */
export const sseEvent = (data: string): string => `data: ${data}\n\n`;
