import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(pkg, 'test', 'fixtures');
let work: string;
let runFile: string;
let outDir: string;

beforeAll(() => {
  // The bin under test is the built one, so build it from the current sources first.
  execFileSync(join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: pkg });
  work = mkdtempSync(join(tmpdir(), 'vhb-task-kie-bin-'));
  outDir = join(work, 'out');
  runFile = join(work, 'run.json');
  const metricJson = createRequire(join(pkg, 'package.json')).resolve('@vhb/metric-json');
  const run = {
    spec: {
      experiment: 'e2e',
      run: 'kie-fixture',
      outDir,
      task: { name: 'kie' },
      dataset: { name: 'kie-fixture-dataset', root: fixtures },
      model: { name: 'kie-fixture-adapter', model: 'fixture' },
      settings: {},
      metrics: [{ name: 'json' }],
      groupBy: [['doc_type']],
    },
    entries: { dataset: join(fixtures, 'dataset.js'), adapter: join(fixtures, 'adapter.js'), metrics: [metricJson] },
  };
  writeFileSync(runFile, JSON.stringify(run));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('vhb-task-kie bin', () => {
  it('runs the whole pipeline: the fenced answer parsed, the broken one scored as unparsed', () => {
    const result = spawnSync(process.execPath, [join(pkg, 'dist', 'bin.js'), '--run', runFile], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    const predictions = readFileSync(join(outDir, 'predictions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(predictions.map((p) => [p.id, p.prediction, p.error])).toEqual([
      ['doc-1', '{"merchant":"Cafe","total":"8.40"}', null],
      ['doc-2', '{"number": "7", "date": "2023-05-02"', null],
    ]);
    // doc-1: both fields right (case folded) -> 1; doc-2 unparsed -> 0 with 2 misses. Run F1 = 4 / (4 + 0 + 2).
    const summary = JSON.parse(result.stdout);
    expect(summary.task).toBe('kie');
    const json = summary.metrics.find((metric: { id: string }) => metric.id === 'json@1');
    expect(json.score).toBeCloseTo(4 / 6, 12);
    expect(json.details.structuralFidelity).toBe(0.5);
  });

  it('exits 2 with usage when --run is missing', () => {
    const result = spawnSync(process.execPath, [join(pkg, 'dist', 'bin.js')], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--run <run.json>');
  });
});
