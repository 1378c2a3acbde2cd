import { describe, expect, it } from 'vitest';
import adapter, { deepseekOcrOptions } from '../src/index.js';
import { contextFor, openSession } from './helpers/context.js';

const options = deepseekOcrOptions.parse({});

describe('deepseek-ocr unavailable()', () => {
  it('names VHB_DEEPSEEK_OCR_BASE_URL when no endpoint is set', async () => {
    expect(await adapter.unavailable?.(options, contextFor(undefined, {}))).toBe(
      "no endpoint — set VHB_DEEPSEEK_OCR_BASE_URL or `endpoint:` in the model's registry file",
    );
    // The OpenAI adapter's variable does not count: the two may point at different servers.
    expect(await adapter.unavailable?.(options, contextFor(undefined, { VHB_OPENAI_BASE_URL: 'http://x/v1' }))).toMatch(/^no endpoint/);
  });

  it('is satisfied by the entry endpoint or the variable, and names a bad one', async () => {
    expect(await adapter.unavailable?.(options, contextFor('http://127.0.0.1:8000/v1'))).toBeUndefined();
    expect(
      await adapter.unavailable?.(options, contextFor(undefined, { VHB_DEEPSEEK_OCR_BASE_URL: 'http://gpu:8000/v1' })),
    ).toBeUndefined();
    expect(await adapter.unavailable?.(options, contextFor('gpu:8000'))).toMatch(/endpoint "gpu:8000" is not an http\(s\) URL/);
  });

  it('open() refuses to start without an endpoint', async () => {
    await expect(openSession(undefined)).rejects.toMatchObject({ code: 'VHB_E_ADAPTER_ENDPOINT' });
  });
});
