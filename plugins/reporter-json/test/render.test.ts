import { readFileSync } from 'node:fs';
import type { PluginContext, RunSummary } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import json from '../src/index.js';

const read = (file: string) => readFileSync(new URL(`./fixtures/full/${file}`, import.meta.url), 'utf8');
const ctx: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };

describe('json render', () => {
  it('writes report.json: the summary tagged with its schema, first, 2-space indented', async () => {
    // expected.json was written by hand from summary.json: "schema" first, then every field in order.
    const summary = JSON.parse(read('summary.json')) as RunSummary;
    expect(await json.render(summary, {}, ctx)).toEqual([{ path: 'report.json', content: read('expected.json') }]);
  });

  it('reads back as the summary plus the schema tag', async () => {
    const summary = JSON.parse(read('summary.json')) as RunSummary;
    const [file] = await json.render(summary, {}, ctx);
    expect(JSON.parse(file?.content ?? '')).toEqual({ schema: 'vhb-report/2', ...summary });
  });
});
