import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/reporter-html', () => {
  it('exports the plugin and its helpers, and nothing else; the plugin is a valid reporter', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'embedImage', 'embedImages', 'renderHtml']);
    expect(checkPlugin(mod.default, 'reporter').ok).toBe(true);
  });

  it('declares its registry name, and one option: the image size cap', () => {
    expect({ name: mod.default.name, version: mod.default.version, resources: mod.default.resources }).toEqual({
      name: 'html',
      version: '0.1.0',
      resources: { type: 'cpu', cpus: 1 },
    });
    expect(mod.default.options?.parse({})).toEqual({ maxImageBytes: 1024 * 1024 });
    expect(mod.default.options?.parse({ maxImageBytes: 0 })).toEqual({ maxImageBytes: 0 });
    expect(mod.default.options?.safeParse({ maxImageBytes: -1 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ maxImageBytes: 1.5 }).success).toBe(false);
    expect(mod.default.options?.safeParse({ title: 'x' }).success).toBe(false);
  });
});
