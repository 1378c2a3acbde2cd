import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/task-classification', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['classificationOptions', 'default', 'errorCodes', 'fillLabels', 'matchLabel']);
  });

  it('is a valid task plugin', () => {
    expect(checkPlugin(mod.default, 'task').ok).toBe(true);
  });

  it('declares its name, default prompt and default metrics', () => {
    expect(mod.default.name).toBe('classification');
    expect(mod.default.defaultPrompt).toEqual({
      id: 'classification-default',
      user: 'What type of document is this? Answer with one of: {{labels}}.',
    });
    expect(mod.default.defaultMetrics).toEqual(['exact-match']);
  });
});
