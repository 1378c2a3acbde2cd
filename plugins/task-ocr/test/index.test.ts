import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/task-ocr', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'errorCodes', 'parseOcrAnswer']);
  });

  it('is a valid task plugin', () => {
    expect(checkPlugin(mod.default, 'task').ok).toBe(true);
  });

  it('declares its name, default prompt and default metrics', () => {
    expect(mod.default.name).toBe('ocr');
    expect(mod.default.defaultPrompt).toEqual({
      id: 'ocr-default',
      user: 'Transcribe all the text in this image, line by line. Output only the text.',
    });
    expect(mod.default.defaultMetrics).toEqual(['cer', 'wer', 'anls']);
  });
});
