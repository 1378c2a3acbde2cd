import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/task-vqa', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'errorCodes', 'parseVqaAnswer']);
  });

  it('is a valid task plugin', () => {
    expect(checkPlugin(mod.default, 'task').ok).toBe(true);
  });

  it('declares its name, default prompt and default metrics', () => {
    expect(mod.default.name).toBe('vqa');
    expect(mod.default.defaultPrompt).toEqual({
      id: 'vqa-default',
      user: '{{question}}\nAnswer the question using a single word or phrase.',
    });
    expect(mod.default.defaultMetrics).toEqual(['anls', 'exact-match']);
  });
});
