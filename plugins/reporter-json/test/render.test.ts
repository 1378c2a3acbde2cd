import { readFileSync } from 'node:fs';
import { type PluginContext, type RunSummary, runSummarySchema } from '@vhb/sdk';
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

  it("carries the prompts of the run and of each group (summary.json's prompt counts), and validates against the summary schema", async () => {
    const summary = JSON.parse(read('summary.json')) as RunSummary;
    summary.prompts = { generic: 2, 'receipt-ru': 10 };
    summary.groups = [
      {
        by: ['doc_type'],
        rows: [
          { key: { doc_type: 'letter' }, n: 2, prompts: { generic: 2 }, scores: {} },
          { key: { doc_type: 'receipt' }, n: 10, prompts: { 'receipt-ru': 10 }, scores: {} },
        ],
      },
    ];
    const [file] = await json.render(summary, {}, ctx);
    const report = JSON.parse(file?.content ?? '');
    expect(report.prompts).toEqual({ generic: 2, 'receipt-ru': 10 });
    expect(report.groups[0].rows.map((row: { key: unknown; prompts: unknown }) => [row.key, row.prompts])).toEqual([
      [{ doc_type: 'letter' }, { generic: 2 }],
      [{ doc_type: 'receipt' }, { 'receipt-ru': 10 }],
    ]);
    const { schema: _, ...rest } = report;
    expect(runSummarySchema.safeParse(rest).error).toBeUndefined();
    // A count that is not a whole number is not a prompt count.
    expect(runSummarySchema.safeParse({ ...rest, prompts: { generic: 1.5 } }).success).toBe(false);
  });

  it('reads back as the summary plus the schema tag', async () => {
    const summary = JSON.parse(read('summary.json')) as RunSummary;
    const [file] = await json.render(summary, {}, ctx);
    expect(JSON.parse(file?.content ?? '')).toEqual({ schema: 'vhb-report/2', ...summary });
  });
});
