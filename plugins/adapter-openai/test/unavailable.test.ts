import { describe, expect, it } from 'vitest';
import adapter, { openaiOptions } from '../src/index.js';
import { contextFor, openSession, rejection } from './helpers/context.js';

const options = openaiOptions.parse({});

describe('openai unavailable()', () => {
  it('says how to configure an endpoint when there is none', async () => {
    expect(await adapter.unavailable?.(options, contextFor(undefined, {}))).toBe(
      "no endpoint — set VHB_OPENAI_BASE_URL or `endpoint:` in the model's registry file",
    );
    expect(await adapter.unavailable?.(options, contextFor('', { VHB_OPENAI_BASE_URL: '' }))).toMatch(/^no endpoint/);
  });

  it('is satisfied by the model endpoint or by VHB_OPENAI_BASE_URL', async () => {
    expect(await adapter.unavailable?.(options, contextFor('http://127.0.0.1:8000/v1'))).toBeUndefined();
    expect(
      await adapter.unavailable?.(options, contextFor(undefined, { VHB_OPENAI_BASE_URL: 'https://api.openai.com/v1' })),
    ).toBeUndefined();
  });

  it('names an endpoint that is not an http(s) URL', async () => {
    expect(await adapter.unavailable?.(options, contextFor('127.0.0.1:8000'))).toMatch(/endpoint "127.0.0.1:8000" is not an http\(s\) URL/);
  });

  it('needs no API key', async () => {
    expect(await adapter.unavailable?.(options, contextFor('http://localhost:11434/v1', {}))).toBeUndefined();
  });

  it('open() refuses to start without an endpoint', async () => {
    const error = await rejection(openSession(undefined));
    expect(error.code).toBe('VHB_E_ADAPTER_ENDPOINT');
    expect(error.message).toMatch(/VHB_OPENAI_BASE_URL/);
  });
});
