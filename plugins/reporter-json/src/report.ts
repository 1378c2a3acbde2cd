import type { RunSummary } from '@vhb/sdk';

/** Schema tag of report.json; bumped when a field changes meaning or goes away. */
export const REPORT_SCHEMA = 'vhb-report/2';

/** A run summary tagged with its schema, so readers can tell the layout before they parse it. */
export type JsonReport = { schema: typeof REPORT_SCHEMA } & RunSummary;

/** report.json's text: the tagged summary, 2-space indented, with a final newline. */
export function renderJson(summary: RunSummary): string {
  const report: JsonReport = { schema: REPORT_SCHEMA, ...summary };
  return `${JSON.stringify(report, null, 2)}\n`;
}
