import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/reporter-json', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual(['REPORT_SCHEMA', 'default', 'renderJson']);
  });

  it('is a valid reporter plugin', () => {
    expect(checkPlugin(mod.default, 'reporter').ok).toBe(true);
  });

  it('declares its registry name and takes no options', () => {
    expect({ name: mod.default.name, version: mod.default.version, resources: mod.default.resources }).toEqual({
      name: 'json',
      version: '0.1.0',
      resources: { type: 'cpu', cpus: 1 },
    });
    expect(mod.default.options?.safeParse({}).success).toBe(true);
    expect(mod.default.options?.safeParse({ indent: 4 }).success).toBe(false);
  });
});
