import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/adapter-openai', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'PRESET_NAMES',
      'default',
      'errorCodes',
      'imageDataUrl',
      'mimeOf',
      'openaiOptions',
      'openaiStandardFields',
      'parseCompletion',
      'presetFields',
      'presetProblems',
      'presets',
      'readCompletionStream',
      'sseData',
    ]);
  });

  it('is a valid adapter plugin named openai, bound to I/O', () => {
    expect(checkPlugin(mod.default, 'adapter').ok).toBe(true);
    expect(mod.default.name).toBe('openai');
    expect(mod.default.resources).toEqual({ type: 'io' });
  });

  it('has the documented option defaults', () => {
    expect(mod.openaiOptions.parse({})).toEqual({
      api_key_env: 'OPENAI_API_KEY',
      timeout_ms: 120000,
      stream: true,
      concurrency: 4,
      extra_body: {},
    });
  });
});
