import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/metric-json', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'default',
      'errorCodes',
      'fieldAnls',
      'fieldEquals',
      'flattenJson',
      'json',
      'parseJsonAnswer',
      'validateJson',
    ]);
  });

  it('is a valid metric plugin', () => {
    expect(checkPlugin(mod.default, 'metric').ok).toBe(true);
    // Standalone use: `import { json } from '@vhb/metric-json'` is the same plugin object.
    expect(mod.json).toBe(mod.default);
  });

  it('declares its registry name, direction and algorithm version', () => {
    const { name, version, direction, algorithmVersion, resources } = mod.default;
    expect({ name, version, direction, algorithmVersion, resources }).toEqual({
      name: 'json',
      version: '0.1.0',
      direction: 'higher',
      algorithmVersion: 1,
      resources: { type: 'cpu', cpus: 1 },
    });
  });

  it('takes an optional JSON Schema, checks the keywords it reads, and refuses unknown options', () => {
    const options = mod.default.options;
    expect(options?.parse({})).toEqual({});
    const schema = { type: 'object', required: ['total'], properties: { total: { type: ['number', 'string'] } } };
    expect(options?.parse({ schema })).toEqual({ schema });
    const bad = options?.safeParse({ schema: { properties: { total: { type: 'text' } } } });
    expect(bad?.success).toBe(false);
    expect(bad?.error?.issues[0]?.message).toBe(
      'properties.total.type: "text" is not one of object, array, string, number, integer, boolean, null',
    );
    expect(options?.safeParse({ schema: { required: 'total' } }).success).toBe(false);
    expect(options?.safeParse({ strict: true }).success).toBe(false);
  });

  it('declares an output schema its item scores fit, parts included', () => {
    const score = mod.default.score('{"a": 1}', ['{"a": 1, "b": [2]}'], {});
    expect(mod.default.output?.parse(score)).toEqual(score);
  });
});
