import { describe, expect, it } from 'vitest';
import { parseKind, pluginNames } from '../src/names.js';

describe('pluginNames', () => {
  it.each([
    ['metric-length-ratio', 'metric', 'metric-length-ratio', 'length-ratio'],
    ['@acme/metric-length-ratio', 'metric', 'metric-length-ratio', 'length-ratio'],
    ['vhb-metric-foo', 'metric', 'vhb-metric-foo', 'foo'],
    ['dataset-receipts', 'dataset', 'dataset-receipts', 'receipts'],
    ['my-reporter', 'reporter', 'my-reporter', 'my-reporter'],
    ['metric-x2', 'metric', 'metric-x2', 'x2'],
    ['metric', 'metric', 'metric', 'metric'], // nothing left after the prefix: the name is kept
  ])('%s (%s) -> folder %s, plugin %s', (name, kind, folder, plugin) => {
    expect(pluginNames(name, parseKind(kind))).toEqual({ packageName: name, folder, pluginName: plugin });
  });

  it.each([
    ['', /empty/],
    ['Metric-Foo', /lowercase/],
    ['.hidden', /cannot start with/],
    ['_private', /cannot start with/],
    ['@acme', /scoped name is @scope\/name/],
    ['@acme/a/b', /scoped name is @scope\/name/],
    ['metric foo', /only a-z/],
    ['метрика', /only a-z/],
    ['node_modules', /reserves/],
    ['metric-foo_bar', /not kebab-case/],
    ['metric-foo.js', /not kebab-case/],
    ['1metric', /not kebab-case/],
    ['metric--double', /not kebab-case/],
    ['a'.repeat(215), /214/],
    [' metric-foo', /spaces/],
  ])('refuses %j', (name, why) => {
    expect(() => pluginNames(name, 'metric')).toThrow(why);
    expect(() => pluginNames(name, 'metric')).toThrow(/VHB_E_CREATE_NAME/);
  });

  it('refuses an unknown kind, naming it', () => {
    expect(() => parseKind('metrics')).toThrow(/VHB_E_CREATE_KIND: unknown kind "metrics"/);
  });
});
