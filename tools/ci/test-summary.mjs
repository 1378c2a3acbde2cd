// Prints vitest's JSON report as one plain closing line, `tests: N passed, N failed, N skipped`,
// which CI reads; exits non-zero when any test failed or none ran.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.vitest-report.json', 'utf8'));
const passed = report.numPassedTests ?? 0;
// A file that fails before any test runs (a syntax error, a throwing import) has no failed test of
// its own, so it is counted here as one failure; files with failed tests are already counted by them.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
