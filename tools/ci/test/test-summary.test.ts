import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'test-summary.mjs');

function summarise(report: unknown): { line: string; code: number | null } {
  const file = join(mkdtempSync(join(tmpdir(), 'vhb-summary-')), 'report.json');
  writeFileSync(file, JSON.stringify(report));
  const result = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
  return { line: result.stdout.trim(), code: result.status };
}

const passing = { status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] };
const oneFailure = { status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }] };
const brokenImport = { status: 'failed', assertionResults: [] };

describe('test-summary', () => {
  it('counts a failed test once, not again for the suites around it', () => {
    const report = { numPassedTests: 3, numFailedTests: 1, numFailedTestSuites: 2, numPendingTests: 1, testResults: [passing, oneFailure] };
    expect(summarise(report)).toEqual({ line: 'tests: 3 passed, 1 failed, 1 skipped', code: 1 });
  });

  it('counts a file that failed before any test ran', () => {
    const report = { numPassedTests: 2, numFailedTests: 0, numFailedTestSuites: 1, testResults: [passing, brokenImport] };
    expect(summarise(report)).toEqual({ line: 'tests: 2 passed, 1 failed, 0 skipped', code: 1 });
  });

  it('passes when every test passed, and fails when none ran', () => {
    expect(summarise({ numPassedTests: 2, testResults: [passing] })).toEqual({ line: 'tests: 2 passed, 0 failed, 0 skipped', code: 0 });
    expect(summarise({ numPassedTests: 0, testResults: [] }).code).toBe(1);
  });
});
