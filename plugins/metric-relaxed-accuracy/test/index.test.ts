import { checkPlugin, metricId } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-relaxed-accuracy', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'DIALECTS',
      'default',
      'pyFloat',
      'relaxedAccuracy',
      'relaxedAccuracyScore',
      'relaxedCorrectness',
      'toNumber',
    ]);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { relaxedAccuracy } from '@vhb/metric-relaxed-accuracy'` is the same plugin object.
    expect(mod.relaxedAccuracy).toBe(mod.default);
  });

  it('declares its registry name, direction, algorithm version and dialects', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'relaxed-accuracy',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['lmms-eval', 'vlmevalkit'],
    });
  });

  it('defaults to lmms-eval with a 5% tolerance, and refuses unknown or negative options', () => {
    expect(mod.default.options?.parse({})).toEqual({ dialect: 'lmms-eval', tolerance: 0.05 });
    expect(mod.default.options?.parse({ dialect: 'vlmevalkit', tolerance: 0.1 })).toEqual({ dialect: 'vlmevalkit', tolerance: 0.1 });
    expect(mod.default.options?.safeParse({ tolerance: -0.05 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ dialect: 'official' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ max_relative_change: 0.05 }).success).toBe(false);
  });

  it('tags results of a non-default dialect with it', () => {
    expect(metricId(mod.default, { dialect: 'lmms-eval', tolerance: 0.05 })).toBe('relaxed-accuracy@1');
    expect(metricId(mod.default, { dialect: 'vlmevalkit', tolerance: 0.05 })).toBe('relaxed-accuracy@1/vlmevalkit');
  });
});
