export { default } from './json.js';
export type { JsonReport } from './report.js';
export { REPORT_SCHEMA, renderJson } from './report.js';
