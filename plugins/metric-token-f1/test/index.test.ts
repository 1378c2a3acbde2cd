import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-token-f1', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['SQUAD_DIALECTS', 'default', 'maxTokenF1', 'normalizeAnswer', 'tokenF1', 'tokenF1Score']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { tokenF1 } from '@vhb/metric-token-f1'` is the same plugin object.
    expect(mod.tokenF1).toBe(mod.default);
  });

  it('declares its registry name, direction, algorithm version and dialects, squad-v2 first', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'token-f1',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['squad-v2', 'squad-v1.1'],
    });
  });

  it('takes only a dialect, squad-v2 by default', () => {
    expect(mod.default.options?.parse({})).toEqual({ dialect: 'squad-v2' });
    expect(mod.default.options?.parse({ dialect: 'squad-v1.1' })).toEqual({ dialect: 'squad-v1.1' });
    expect(mod.default.options?.safeParse({ dialect: 'squad' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ ignoreCase: true }).success).toBe(false);
  });
});
