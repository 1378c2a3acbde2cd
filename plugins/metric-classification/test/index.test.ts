import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-classification', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['OTHER', 'classification', 'classificationReport', 'default', 'errorCodes', 'normaliseLabel']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { classification } from '@vhb/metric-classification'` is the same plugin object.
    expect(mod.classification).toBe(mod.default);
  });

  it('declares its registry name, direction and algorithm version', () => {
    const { name, version, direction, algorithmVersion, resources } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources }).toEqual({
      name: 'classification',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
    });
  });

  it('normalises by default, takes an optional label set, and refuses unknown options', () => {
    const options = mod.default.options;
    expect(options?.parse({})).toEqual({ normalize: true });
    expect(options?.parse({ normalize: false, labels: ['a', 'b'] })).toEqual({ normalize: false, labels: ['a', 'b'] });
    expect(options?.safeParse({ labels: [] }).success).toBe(false);
    expect(options?.safeParse({ lowercase: true }).success).toBe(false);
  });

  it('refuses a label set that repeats a label or uses the reserved "(other)"', () => {
    const options = mod.default.options;
    // " Invoice" and "INVOICE" are one label once stripped and case-folded, two without normalising.
    expect(options?.safeParse({ labels: ['invoice', ' INVOICE'] }).success).toBe(false);
    expect(options?.safeParse({ labels: ['invoice', ' INVOICE'], normalize: false }).success).toBe(true);
    const other = options?.safeParse({ labels: ['a', '(Other)'] });
    expect(other?.success).toBe(false);
    expect(other?.error?.issues[0]?.path).toEqual(['labels', 1]);
  });

  it('declares an output schema its item scores fit, parts included', () => {
    const score = mod.default.score('letter', ['invoice'], { normalize: true });
    expect(mod.default.output?.parse(score)).toEqual(score);
  });
});
