import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterContext, GenerationRequest } from '@vhb/sdk';
import adapter, { openaiOptions } from '../../src/index.js';

export const KEY = 'sk-test-0123456789abcdef';
export const IMAGE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'page.png');

const quiet = { debug() {}, info() {}, warn() {} };

export function contextFor(endpoint: string | undefined, env: Record<string, string | undefined> = {}): AdapterContext {
  return { logger: quiet, env, model: { name: 'fake-vl', modelId: 'org/fake-vl', endpoint } };
}

/** Opens a session the way the host does: options through the plugin's own schema first. */
export function openSession(
  endpoint: string | undefined,
  options: Record<string, unknown> = {},
  env: Record<string, string | undefined> = { OPENAI_API_KEY: KEY },
) {
  return adapter.open(openaiOptions.parse(options), contextFor(endpoint, env));
}

export function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { id: 'item-1', image: IMAGE, prompt: 'Read the page.', settings: {}, ...overrides };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string; hint?: string };
  }
  throw new Error('expected the promise to reject');
}
