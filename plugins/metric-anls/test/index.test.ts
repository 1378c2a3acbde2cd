import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-anls', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['ANLS_DIALECTS', 'anls', 'anlsScore', 'default', 'normaliseAnswer', 'normalisedDistance']);
  });

  it('is a valid metric plugin, and so is the version it still provides', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { anls } from '@vhb/metric-anls'` is the same plugin object.
    expect(mod.anls).toBe(mod.default);
    for (const previous of mod.default.previousVersions ?? []) expect(checkPlugin(previous, 'metric').ok).toBe(true);
  });

  it('declares its registry name, direction, algorithm versions and dialects', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'anls',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 2,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['lmms-eval', 'vlmevalkit'],
    });
    const previous = (mod.default.previousVersions ?? []).map((m) => ({
      name: m.name,
      algorithmVersion: m.algorithmVersion,
      dialects: m.dialects,
    }));
    expect(previous).toEqual([{ name: 'anls', algorithmVersion: 1, dialects: ['lmms-eval', 'vlmevalkit'] }]);
  });

  it('defaults the threshold to 0.5 and the dialect to lmms-eval, and refuses unknown options', () => {
    for (const metric of [mod.default, ...(mod.default.previousVersions ?? [])]) {
      expect(metric.options?.parse({})).toEqual({ threshold: 0.5, dialect: 'lmms-eval' });
      expect(metric.options?.parse({ dialect: 'vlmevalkit', threshold: 0.3 })).toEqual({ threshold: 0.3, dialect: 'vlmevalkit' });
      expect(metric.options?.safeParse({ threshold: 1.5 }).success).toBe(false);
      expect(metric.options?.safeParse({ dialect: 'official' }).success).toBe(false);
      expect(metric.options?.safeParse({ thresh_hold: 0.5 }).success).toBe(false);
    }
  });
});
