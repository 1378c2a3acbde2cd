import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-cer', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['cer', 'cerTokens', 'default']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { cer } from '@vhb/metric-cer'` is the same plugin object.
    expect(mod.cer).toBe(mod.default);
  });

  it('declares its registry name, direction and algorithm version', () => {
    const { name, version, direction, algorithmVersion, resources } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources }).toEqual({
      name: 'cer',
      version: '0.1.0',
      direction: 'lower',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
    });
  });

  it('takes no options', () => {
    expect(mod.default.options?.safeParse({}).success).toBe(true);
    expect(mod.default.options?.safeParse({ ignoreCase: true }).success).toBe(false);
  });
});
