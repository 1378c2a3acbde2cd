import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterContext, GenerationRequest } from '@vhb/sdk';
import adapter, { deepseekOcrOptions } from '../../src/index.js';

/** A white 1000 x 500 PNG (test/fixtures/page-1000x500.png). */
export const IMAGE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'page-1000x500.png');

const quiet = { debug() {}, info() {}, warn() {} };

export function contextFor(endpoint: string | undefined, env: Record<string, string | undefined> = {}): AdapterContext {
  return { logger: quiet, env, model: { name: 'deepseek-ocr', modelId: 'deepseek-ai/DeepSeek-OCR', endpoint } };
}

/** Opens a session the way the host does: options through the plugin's own schema first. */
export function openSession(
  endpoint: string | undefined,
  options: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
) {
  return adapter.open(deepseekOcrOptions.parse(options), contextFor(endpoint, env));
}

export function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { id: 'page-1', image: IMAGE, prompt: 'Read the text on the page.', system: 'You are an OCR engine.', settings: {}, ...overrides };
}
