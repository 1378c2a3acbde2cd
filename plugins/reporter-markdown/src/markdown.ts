import { defineReporter, z } from '@vhb/sdk';
import { renderMarkdown } from './render.js';

/** A human-readable report of a run: report.md in the run's results folder. */
export default defineReporter({
  name: 'markdown',
  version: '0.1.0',
  description: 'Writes report.md: the run, its metrics, per-group scores, timing and failures as Markdown tables',
  resources: { type: 'cpu', cpus: 1 },
  options: z.object({}).strict(),
  render: (summary) => [{ path: 'report.md', content: renderMarkdown(summary) }],
});
