import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tesseract from '@vhb/adapter-tesseract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { auth, chat, DATASET_ROOT, KEY, logCollector, readSse } from './helpers.js';

const ask = (url: string, extra: Record<string, unknown> = {}) => ({
  model: 'ocr',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Read the document.' },
        { type: 'image_url', image_url: { url } },
      ],
    },
  ],
  ...extra,
});

describe('@vhb/adapter-tesseract served through the gateway (real OCR)', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      datasetRoot: DATASET_ROOT,
      logDestination: logCollector(),
      nvidiaSmi: null,
      engines: { ocr: { kind: 'adapter', plugin: tesseract, options: { workers: 1 }, modelId: 'eng' } },
      load: ['ocr'],
    });
  });
  afterAll(() => gateway.close());

  it('reads an image path under the dataset root into an OpenAI completion', async () => {
    const response = await chat(gateway, ask('images/doc-003.png'));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.object).toBe('chat.completion');
    const text: string = body.choices[0].message.content;
    // doc-003 is an English letter (datasets/synthdoc/ocr-en.jsonl).
    expect(text).toContain('Summit Insurance');
    expect(text).toContain('Dear Mr. Parker');
    expect(body.vhb).toMatchObject({ model: 'ocr', engine: 'adapter', ttft_ms: null, gpu_memory_mb: null });
    expect(body.vhb.latency_ms).toBeGreaterThan(0);
  });

  it('reads a data URL, streamed as one content chunk', async () => {
    const bytes = await readFile(join(DATASET_ROOT, 'images', 'doc-003.png'));
    const response = await chat(gateway, ask(`data:image/png;base64,${bytes.toString('base64')}`, { stream: true }));
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const contents = chunks.map((c) => c.choices?.[0]?.delta?.content).filter((c) => c);
    expect(contents).toHaveLength(1);
    expect(contents[0]).toContain('Summit Insurance');
    const vhb = chunks.at(-1).vhb;
    expect(vhb.ttft_ms).toBeGreaterThan(0);
    expect(vhb.completion_tokens).toBe(1);
  });

  it('refuses a remote image URL (400) and answers a request without an image with the adapter error (502)', async () => {
    const remote = await chat(gateway, ask('https://example.com/a.png'));
    expect(remote.status).toBe(400);
    expect((await remote.json()).error.code).toBe('VHB_E_GATEWAY_IMAGE');
    const none = await chat(gateway, { model: 'ocr', messages: [{ role: 'user', content: 'no image' }] });
    expect(none.status).toBe(502);
    const body = await none.json();
    expect(body.error.code).toBe('VHB_E_GATEWAY_ADAPTER');
    expect(body.error.message).toContain('VHB_E_ADAPTER_NO_IMAGE');
  });

  it('lists the adapter model as loaded, and unloads it', async () => {
    const models = await (await fetch(`${gateway.url}/v1/models`, { headers: auth })).json();
    expect(models.data[0]).toMatchObject({ id: 'ocr', vhb: { engine: 'adapter', state: 'loaded' } });
    const unload = await fetch(`${gateway.url}/v1/models/unload`, { method: 'POST', headers: auth, body: '{"model":"ocr"}' });
    expect(await unload.json()).toMatchObject({ state: 'unloaded' });
    expect((await chat(gateway, ask('images/doc-003.png'))).status).toBe(409);
  });
});
