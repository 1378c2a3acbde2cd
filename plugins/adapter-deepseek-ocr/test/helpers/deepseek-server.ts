// A real HTTP server on 127.0.0.1 that answers chat completions the way vLLM serving DeepSeek-OCR
// does: the answer depends on the prompt form, grounding tags and the end-of-sentence token survive
// only with skip_special_tokens: false, and the stream is cut into small pieces that split tags.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const EOS = '<｜end▁of▁sentence｜>';

/** What the fake model answers to each prompt of the model card. */
export const ANSWERS: Record<string, string> = {
  'Free OCR.': `Hello\nWorld${EOS}`,
  '<|grounding|>Convert the document to markdown.': [
    '<|ref|>title<|/ref|><|det|>[[100, 200, 899, 999]]<|/det|>',
    '# Invoice **42**',
    '',
    '<|ref|>text<|/ref|><|det|>[[0, 0, 499, 499]]<|/det|>',
    `Total: 1 250 RUB${EOS}`,
  ].join('\n'),
  '<|grounding|>OCR this image.': [
    '<|ref|>Hello world<|/ref|><|det|>[[100, 100, 500, 200]]<|/det|>',
    `<|ref|>Second line<|/ref|><|det|>[[100, 300, 600, 400]]<|/det|>${EOS}`,
  ].join('\n'),
  'Parse the figure.': `A bar chart of sales by month.${EOS}`,
  'Describe this image in detail.': `A white page.${EOS}`,
};
const LOCATE = /^Locate <\|ref\|>(.*)<\|\/ref\|> in the image\.$/s;
const SPECIAL = /<\|\/?(?:ref|det)\|>|<｜end▁of▁sentence｜>/g;

export interface Recorded {
  headers: IncomingHttpHeaders;
  body: any;
}

export interface DeepSeekServer {
  baseUrl: string;
  requests: Recorded[];
  close(): Promise<void>;
}

function answerTo(prompt: string): string {
  const locate = LOCATE.exec(prompt);
  if (locate) return `<|ref|>${locate[1]}<|/ref|><|det|>[[10, 20, 30, 40], [500, 500, 999, 999]]<|/det|>${EOS}`;
  return ANSWERS[prompt] ?? `unknown prompt${EOS}`;
}

export async function startDeepSeekServer(): Promise<DeepSeekServer> {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const part of req) text += part;
    const body = JSON.parse(text);
    requests.push({ headers: req.headers, body });
    const parts = body.messages.at(-1).content as { type: string; text?: string }[];
    const prompt = parts.find((p) => p.type === 'text')?.text ?? '';
    let answer = answerTo(prompt);
    // Like vLLM, the tags and the end-of-sentence token are special tokens: dropped unless asked to keep them.
    if (body.skip_special_tokens !== false) answer = answer.replace(SPECIAL, '');
    const usage = { prompt_tokens: 273, completion_tokens: Math.ceil(answer.length / 4) };
    if (!body.stream) {
      const reply = { choices: [{ index: 0, message: { role: 'assistant', content: answer } }], usage };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
    // Pieces of 5 characters: tags and the multi-byte EOS token are split across chunks.
    for (let i = 0; i < answer.length; i += 5) send({ choices: [{ index: 0, delta: { content: answer.slice(i, i + 5) } }] });
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    send({ choices: [], usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
