import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-chrf', () => {
  it('exports the plugin and its helper, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['chrf', 'computeChrf', 'default']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { chrf } from '@vhb/metric-chrf'` is the same plugin object.
    expect(mod.chrf).toBe(mod.default);
  });

  it('declares its registry name, direction and algorithm version', () => {
    const { name, version, direction, algorithmVersion, resources } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources }).toEqual({
      name: 'chrf',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
    });
  });

  it("defaults to sacrebleu's CHRF defaults and refuses unknown or invalid options", () => {
    expect(mod.default.options?.parse({})).toEqual({
      charOrder: 6,
      wordOrder: 0,
      beta: 2,
      lowercase: false,
      whitespace: false,
      epsSmoothing: false,
    });
    expect(mod.default.options?.safeParse({ charOrder: 0 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ wordOrder: -1 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ beta: 0 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ eps_smoothing: true }).success).toBe(false);
  });
});
