import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-exact-match', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['SQUAD_DIALECTS', 'default', 'exactMatch', 'normalizeAnswer']);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { exactMatch } from '@vhb/metric-exact-match'` is the same plugin object.
    expect(mod.exactMatch).toBe(mod.default);
  });

  it('declares its registry name, direction, algorithm version and dialects', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'exact-match',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['squad-v1.1', 'squad-v2'],
    });
  });

  it('takes only a dialect, squad-v1.1 by default', () => {
    expect(mod.default.options?.parse({})).toEqual({ dialect: 'squad-v1.1' });
    expect(mod.default.options?.parse({ dialect: 'squad-v2' })).toEqual({ dialect: 'squad-v2' });
    expect(mod.default.options?.safeParse({ dialect: 'squad-v3' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ caseSensitive: true }).success).toBe(false);
  });
});
