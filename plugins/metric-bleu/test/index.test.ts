import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-bleu', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['bleu', 'computeBleu', 'default', 'tokenize13a']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { bleu } from '@vhb/metric-bleu'` is the same plugin object.
    expect(mod.bleu).toBe(mod.default);
  });

  it('declares its registry name, direction, algorithm version and dialects', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'bleu',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['sacrebleu', 'sacrebleu-py312'],
    });
  });

  it("defaults to sacrebleu's defaults and refuses unknown or invalid options", () => {
    expect(mod.default.options?.parse({})).toEqual({
      dialect: 'sacrebleu',
      lowercase: false,
      tokenize: '13a',
      smoothMethod: 'exp',
      maxNgramOrder: 4,
      effectiveOrder: false,
    });
    expect(mod.default.options?.safeParse({ tokenize: 'intl' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ smoothMethod: 'add-one' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ maxNgramOrder: 0 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ smoothValue: -1 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ lowerCase: true }).success).toBe(false);
  });
});
