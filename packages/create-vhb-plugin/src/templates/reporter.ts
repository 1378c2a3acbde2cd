import type { KindTemplate } from './types.js';

export const reporter: KindTemplate = {
  kind: 'reporter',
  description: 'CSV reporter: writes metrics.csv, one row per metric with its score, item count and confidence interval',
  contract:
    "`export default defineReporter({ name, version, description, options?, render(summary, options, ctx) })`: `render` returns the files to write, `[{ path, content }]`, paths relative to the run's results folder.",
  index: ({ pluginName }) => `import { defineReporter, type RunSummary, z } from '@vhb/sdk';

/** Options, validated by the host before the reporter sees them. */
export const optionsSchema = z
  .object({
    /** Name of the file written in the run's results folder. */
    file: z.string().min(1).default('metrics.csv'),
  })
  .strict();
export type CsvOptions = z.infer<typeof optionsSchema>;

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\\r\\n]/u.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

/** metrics.csv: a header, then one row per metric of the run. */
export function renderCsv(summary: RunSummary): string {
  const rows: (string | number | null | undefined)[][] = [['run', 'metric', 'direction', 'score', 'n', 'ci_low', 'ci_high']];
  for (const metric of summary.metrics) {
    rows.push([summary.run, metric.id, metric.direction, metric.score, metric.n, metric.ci?.[0], metric.ci?.[1]]);
  }
  return rows.map((row) => row.map((cell) => field(cell)).join(',')).join('\\n') + '\\n';
}

export default defineReporter<CsvOptions>({
  name: '${pluginName}',
  version: '0.1.0',
  description: 'CSV reporter: writes metrics.csv, one row per metric',
  options: optionsSchema,
  render(summary, options) {
    return [{ path: options.file, content: renderCsv(summary) }];
  },
});
`,
  test: ({ pluginName }) => `import { checkPlugin, type RunSummary } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const reporter = mod.default;
const ctx = { logger: { debug() {}, info() {}, warn() {} }, env: {} };
const summary: RunSummary = {
  experiment: 'demo',
  run: 'ocr, ру 北京',
  task: 'ocr',
  model: 'echo',
  dataset: 'tiny',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  items: { total: 2, succeeded: 2, failed: 0 },
  metrics: [
    { id: 'cer@1', name: 'cer', version: 1, direction: 'lower', score: 0.25, n: 2, ci: [0, 0.5] },
    { id: 'anls@1', name: 'anls', version: 1, direction: 'higher', score: null, n: 0, ci: null },
  ],
  groups: [],
  timing: { latencyMs: null, ttftMs: null },
  failures: [],
  worst: null,
};

describe('${pluginName}', () => {
  it('exports the plugin and its helpers, and the plugin passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'optionsSchema', 'renderCsv']);
    expect(checkPlugin(reporter, 'reporter').ok).toBe(true);
  });

  it('writes one row per metric; empty cells for nulls; a run name with a comma is quoted', async () => {
    const files = await reporter.render(summary, mod.optionsSchema.parse({}), ctx);
    expect(files).toEqual([
      {
        path: 'metrics.csv',
        content:
          'run,metric,direction,score,n,ci_low,ci_high\\n' +
          '"ocr, ру 北京",cer@1,lower,0.25,2,0,0.5\\n' +
          '"ocr, ру 北京",anls@1,higher,,0,,\\n',
      },
    ]);
  });

  it('quotes a field holding a double quote by doubling it', () => {
    expect(mod.renderCsv({ ...summary, run: 'say "hi"', metrics: [] })).toBe('run,metric,direction,score,n,ci_low,ci_high\\n');
    expect(mod.renderCsv({ ...summary, run: 'say "hi"', metrics: summary.metrics.slice(0, 1) }).split('\\n')[1]).toBe(
      '"say ""hi""",cer@1,lower,0.25,2,0,0.5',
    );
  });
});
`,
  usage: () => `The example reporter writes \`metrics.csv\` (option \`file\`) into the run's results folder: a
header \`run,metric,direction,score,n,ci_low,ci_high\`, then one row per metric; nulls become
empty cells and fields with commas, quotes or line breaks are quoted as RFC 4180 says.`,
};
