import type { KindTemplate } from './types.js';

export const adapter: KindTemplate = {
  kind: 'adapter',
  description: 'Echo adapter: answers every request with a fixed text or the prompt itself, for dry runs',
  contract:
    '`export default defineAdapter({ name, version, description, options?, unavailable?(options, ctx), open(options, ctx) })`: `open` returns a session `{ concurrency, generate(request, signal?), close() }`; `generate` returns `{ text, timing }` and throws to fail one item.',
  index: ({ pluginName }) => `import { performance } from 'node:perf_hooks';
import { defineAdapter, type GenerationRequest, type GenerationResult, z } from '@vhb/sdk';

/** Options, validated by the host before the adapter sees them. */
export const optionsSchema = z
  .object({
    /** The text every request gets; by default the prompt is echoed back. */
    answer: z.string().optional(),
    /** Requests served at once. */
    concurrency: z.number().int().positive().default(1),
  })
  .strict();
export type EchoOptions = z.infer<typeof optionsSchema>;

/** The answer to one request: the fixed text when given, else the prompt; only the latency is measured. */
export function echo(request: GenerationRequest, answer: string | undefined): GenerationResult {
  const started = performance.now();
  const text = answer ?? request.prompt;
  const latencyMs = performance.now() - started;
  return { text, timing: { latencyMs, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null } };
}

export default defineAdapter<EchoOptions>({
  name: '${pluginName}',
  version: '0.1.0',
  description: 'Echo adapter: answers every request with a fixed text or the prompt itself',
  options: optionsSchema,
  async open(options) {
    return {
      concurrency: options.concurrency,
      async generate(request, signal) {
        signal?.throwIfAborted();
        return echo(request, options.answer);
      },
      async close() {},
    };
  },
});
`,
  test: ({ pluginName }) => `import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const adapter = mod.default;
const ctx = { logger: { debug() {}, info() {}, warn() {} }, env: {}, model: { name: 'echo' } };
const request = { id: 'q1', prompt: 'Что написано? 北京 👍', settings: {} };

describe('${pluginName}', () => {
  it('exports the plugin and its helpers, and the plugin passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'echo', 'optionsSchema']);
    expect(checkPlugin(adapter, 'adapter').ok).toBe(true);
  });

  it('echoes the prompt by default, with only the latency measured', async () => {
    const session = await adapter.open(mod.optionsSchema.parse({}), ctx);
    expect(session.concurrency).toBe(1);
    const result = await session.generate(request);
    expect(result.text).toBe('Что написано? 北京 👍');
    expect(result.timing.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.timing.ttftMs).toBeNull();
    await session.close();
  });

  it('answers with the fixed text, even an empty one', async () => {
    const session = await adapter.open({ answer: '', concurrency: 4 }, ctx);
    expect(session.concurrency).toBe(4);
    expect((await session.generate(request)).text).toBe('');
  });

  it('fails a request whose run was aborted', async () => {
    const session = await adapter.open({ concurrency: 1 }, ctx);
    await expect(session.generate(request, AbortSignal.abort())).rejects.toThrow();
  });
});
`,
  usage: () => `The example adapter needs no model: every request gets the fixed \`answer\` option, or its own
prompt echoed back, with the latency measured and the other timing fields null. Use it for dry
runs of a plan; replace \`echo\` with a call to your engine.`,
};
