import { checkPlugin, metricId } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-vqa-accuracy', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'DIALECTS',
      'LMMS_EVAL_RULES',
      'OFFICIAL_RULES',
      'VLMEVALKIT_RULES',
      'cleanAnswer',
      'default',
      'evalAiAnswer',
      'exactMean',
      'normalizeAnswer',
      'numpyMean',
      'processDigitArticle',
      'processPunctuation',
      'sequentialMean',
      'vqaAccuracy',
      'vqaAccuracyScore',
    ]);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { vqaAccuracy } from '@vhb/metric-vqa-accuracy'` is the same plugin object.
    expect(mod.vqaAccuracy).toBe(mod.default);
  });

  it('declares its registry name, direction, algorithm version and dialects', () => {
    const { name, version, direction, algorithmVersion, resources, dialects } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources, dialects }).toEqual({
      name: 'vqa-accuracy',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
      dialects: ['official', 'lmms-eval', 'lmms-eval-textvqa', 'vlmevalkit'],
    });
  });

  it('defaults the dialect to official and refuses unknown options', () => {
    expect(mod.default.options?.parse({})).toEqual({ dialect: 'official' });
    expect(mod.default.options?.parse({ dialect: 'vlmevalkit' })).toEqual({ dialect: 'vlmevalkit' });
    expect(mod.default.options?.safeParse({ dialect: 'VLMEvalKit' }).success).toBe(false);
    expect(mod.default.options?.safeParse({ threshold: 0.5 }).success).toBe(false);
  });

  it('tags results of a non-default dialect with it', () => {
    expect(metricId(mod.default, { dialect: 'official' })).toBe('vqa-accuracy@1');
    expect(metricId(mod.default, { dialect: 'lmms-eval' })).toBe('vqa-accuracy@1/lmms-eval');
  });
});
