import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterSession, GenerationResult } from '@vhb/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deepseekOcrDetails } from '../src/index.js';
import { IMAGE, openSession, request } from './helpers/context.js';
import { type DeepSeekServer, EOS, startDeepSeekServer } from './helpers/deepseek-server.js';

let server: DeepSeekServer;
let session: AdapterSession | undefined;

beforeAll(async () => {
  server = await startDeepSeekServer();
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  server.requests.length = 0;
});
afterAll(() => server.close());

async function run(options: Record<string, unknown>, overrides: Parameters<typeof request>[0] = {}) {
  session = await openSession(server.baseUrl, options);
  const result = await session.generate(request(overrides));
  const details = deepseekOcrDetails(result);
  if (!details) throw new Error('the result carries no deepseekOcr details');
  return { result, details, body: server.requests.at(-1)?.body };
}

const promptOf = (body: any) => body.messages.at(-1).content[0].text;

describe('deepseek-ocr over HTTP', () => {
  it('free_ocr (default): the recipe request, the prompt replaced, the EOS token dropped', async () => {
    const { result, details, body } = await run({});
    expect(body).toMatchObject({
      model: 'deepseek-ai/DeepSeek-OCR',
      temperature: 0,
      skip_special_tokens: false,
      vllm_xargs: { ngram_size: 30, window_size: 90, whitelist_token_ids: [128821, 128822] },
      stream: true,
    });
    // One user message (the task's system prompt is dropped): the mode's prompt, then the image.
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0].content.map((p: { type: string }) => p.type)).toEqual(['text', 'image_url']);
    expect(promptOf(body)).toBe('Free OCR.');
    expect(result.text).toBe('Hello\nWorld');
    expect(details).toEqual({ raw: `Hello\nWorld${EOS}`, boxes: [] });
    expect(result.timing.ttftMs).not.toBeNull();
    expect(result.timing.promptTokens).toBe(273);
  });

  it('markdown: plain text with markdown kept, boxes in pixels of the 1000 x 500 image', async () => {
    const { result, details, body } = await run({ mode: 'markdown' });
    expect(promptOf(body)).toBe('<|grounding|>Convert the document to markdown.');
    expect(result.text).toBe('# Invoice **42**\n\nTotal: 1 250 RUB');
    expect(details.raw).toContain('<|ref|>title<|/ref|><|det|>[[100, 200, 899, 999]]<|/det|>');
    expect(details.boxes.map(({ label, text, box }) => ({ label, text, box }))).toEqual([
      { label: 'title', text: '# Invoice **42**', box: [100, 100, 899, 500] },
      { label: 'text', text: 'Total: 1 250 RUB', box: [0, 0, 499, 249] },
    ]);
  });

  it('markdown: strip', async () => {
    const { result, details } = await run({ mode: 'markdown', markdown: 'strip' });
    expect(result.text).toBe('Invoice 42\n\nTotal: 1 250 RUB');
    expect(details.boxes[0]?.text).toBe('Invoice 42');
  });

  it('grounding_ocr: each line of text with its box', async () => {
    const { result, details, body } = await run({ mode: 'grounding_ocr' });
    expect(promptOf(body)).toBe('<|grounding|>OCR this image.');
    expect(result.text).toBe('Hello world\nSecond line');
    expect(details.boxes.map((b) => [b.text, b.box])).toEqual([
      ['Hello world', [100, 50, 500, 100]],
      ['Second line', [100, 150, 600, 200]],
    ]);
  });

  it('locate: the text to find from the option, else the task prompt; every box it draws', async () => {
    const { result, details, body } = await run({ mode: 'locate', locate_text: 'Total' });
    expect(promptOf(body)).toBe('Locate <|ref|>Total<|/ref|> in the image.');
    expect(result.text).toBe('Total');
    // [10,20,30,40] → 10.01→10, 10.01→10, 30.03→30, 20.02→20; [500,500,999,999] → 500000/999=500.5→500, 250000/999=250.25→250, 1000, 500.
    expect(details.boxes.map((b) => b.box)).toEqual([
      [10, 10, 30, 20],
      [500, 250, 1000, 500],
    ]);
    const second = await session?.generate(request({ prompt: 'the date' }));
    expect(promptOf(server.requests.at(-1)?.body)).toBe('Locate <|ref|>Total<|/ref|> in the image.');
    await session?.close();
    session = await openSession(server.baseUrl, { mode: 'locate' });
    await session.generate(request({ prompt: 'the date' }));
    expect(promptOf(server.requests.at(-1)?.body)).toBe('Locate <|ref|>the date<|/ref|> in the image.');
    expect(second?.text).toBe('Total');
  });

  it('parse_figure and describe send the model card prompts', async () => {
    expect((await run({ mode: 'parse_figure' })).result.text).toBe('A bar chart of sales by month.');
    expect(promptOf(server.requests.at(-1)?.body)).toBe('Parse the figure.');
    await session?.close();
    expect((await run({ mode: 'describe' })).result.text).toBe('A white page.');
    expect(promptOf(server.requests.at(-1)?.body)).toBe('Describe this image in detail.');
  });

  it('without skip_special_tokens: false the tags are lost, which is why the adapter sends it', async () => {
    const { details, body } = await run({ mode: 'markdown', extra_body: { skip_special_tokens: true } });
    expect(body.skip_special_tokens).toBe(true);
    expect(details.raw).not.toContain('<|ref|>');
    expect(details.boxes).toEqual([]);
  });

  it('ngram_guard: false sends no vllm_xargs; the run settings win over the adapter defaults', async () => {
    const { body } = await run({ ngram_guard: false }, { settings: { temperature: 0.3, maxTokens: 8192 } });
    expect(body).not.toHaveProperty('vllm_xargs');
    expect(body.temperature).toBe(0.3);
    expect(body.max_tokens).toBe(8192);
  });

  it('reads a plain JSON reply with stream: false', async () => {
    const { result, details, body } = await run({ mode: 'grounding_ocr', stream: false });
    expect(body.stream).toBe(false);
    expect(result.text).toBe('Hello world\nSecond line');
    expect(details.boxes).toHaveLength(2);
    expect(result.timing.ttftMs).toBeNull();
  });

  it('an image whose size cannot be read fails the item with VHB_E_ADAPTER_IMAGE when there are boxes to scale', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vhb-dsocr-'));
    try {
      const bad = join(dir, 'broken.png');
      await writeFile(bad, 'not a png');
      session = await openSession(server.baseUrl, { mode: 'markdown' });
      const error = await session.generate(request({ image: bad })).catch((e) => e);
      expect(error.code).toBe('VHB_E_ADAPTER_IMAGE');
      expect(error.message).toContain('broken.png');
      // Free OCR draws no boxes, so the same image is fine there.
      await session.close();
      session = await openSession(server.baseUrl, {});
      expect((await session.generate(request({ image: bad }))).text).toBe('Hello\nWorld');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('deepseekOcrDetails is undefined for a result of another adapter', () => {
    const plain: GenerationResult = {
      text: 'x',
      timing: { latencyMs: 1, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null },
    };
    expect(deepseekOcrDetails(plain)).toBeUndefined();
    expect(IMAGE).toMatch(/page-1000x500\.png$/);
  });
});
