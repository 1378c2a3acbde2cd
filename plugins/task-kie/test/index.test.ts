import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/task-kie', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'errorCodes', 'extractJsonObject', 'fieldNames', 'parseKieAnswer']);
  });

  it('is a valid task plugin', () => {
    expect(checkPlugin(mod.default, 'task').ok).toBe(true);
  });

  it('declares its name, default prompt and default metrics', () => {
    expect(mod.default.name).toBe('kie');
    expect(mod.default.defaultPrompt).toEqual({
      id: 'kie-default',
      user:
        'Extract these fields from the document: {{metadata.fields}}.\n' +
        'Answer with a JSON object that has exactly these keys, each value copied as it is written on the document. Output only the JSON.',
    });
    expect(mod.default.defaultMetrics).toEqual(['json']);
  });

  it('documents each error code it raises', () => {
    expect(Object.keys(mod.errorCodes)).toEqual(['VHB_E_TASK_NO_IMAGE']);
  });
});
