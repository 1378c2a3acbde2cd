import { defineReporter, z } from '@vhb/sdk';
import { renderJson } from './report.js';

/** A machine-readable report of a run: report.json in the run's results folder. */
export default defineReporter({
  name: 'json',
  version: '0.1.0',
  description: 'Writes report.json: the run summary tagged with its schema (vhb-report/2)',
  resources: { type: 'cpu', cpus: 1 },
  options: z.object({}).strict(),
  render: (summary) => [{ path: 'report.json', content: renderJson(summary) }],
});
