import { describe, expect, it } from 'vitest';
import { sseData } from '../src/openai/index.js';

async function collect(chunks: (string | Uint8Array)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of sseData(
    (async function* () {
      yield* chunks;
    })(),
  ))
    out.push(data);
  return out;
}

describe('sseData', () => {
  it('yields the data of each event', async () => {
    expect(await collect(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual(['{"a":1}', '[DONE]']);
  });

  it('reassembles events and lines split across chunks, and CRLF line ends', async () => {
    expect(await collect(['da', 'ta: one\r', '\n\r\ndata:', ' two\n', '\n'])).toEqual(['one', 'two']);
  });

  it('joins multi-line data with \\n and removes one leading space only', async () => {
    expect(await collect(['data:  a\ndata:b\n\n'])).toEqual([' a\nb']);
  });

  it('skips comments and other fields', async () => {
    expect(await collect([': keep-alive\n\nevent: message\nid: 3\nretry: 10\ndata: x\n\n'])).toEqual(['x']);
  });

  it('yields an unterminated last event when the stream ends', async () => {
    expect(await collect(['data: last'])).toEqual(['last']);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: café\n\n');
    // 'é' is two bytes (0xC3 0xA9) at offsets 9 and 10: split between them.
    expect(await collect([bytes.slice(0, 10), bytes.slice(10)])).toEqual(['café']);
  });
});
