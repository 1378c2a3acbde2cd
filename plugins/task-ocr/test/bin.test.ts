import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(pkg, 'test', 'fixtures');
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

let work: string;
let runFile: string;
let outDir: string;
let callsFile: string;

function runBin() {
  return spawnSync(process.execPath, [join(pkg, 'dist', 'bin.js'), '--run', runFile], { encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  // The bin under test is the built one, so build it from the current sources first.
  execFileSync(join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: pkg });
  work = mkdtempSync(join(tmpdir(), 'vhb-task-ocr-'));
  outDir = join(work, 'out');
  callsFile = join(work, 'calls.jsonl');
  runFile = join(work, 'run.json');
  const run = {
    spec: {
      experiment: 'e2e',
      run: 'ocr-fixture',
      outDir,
      task: { name: 'ocr' },
      dataset: { name: 'fixture-dataset', root: fixtures },
      model: { name: 'fixture-echo', model: 'echo', options: { calls_file: callsFile } },
      settings: { maxTokens: 64 },
      metrics: [{ name: 'fixture-exact' }],
      groupBy: [['doc_type']],
    },
    entries: {
      dataset: join(fixtures, 'dataset.js'),
      adapter: join(fixtures, 'adapter.js'),
      metrics: [join(fixtures, 'metric.js')],
    },
  };
  writeFileSync(runFile, JSON.stringify(run));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('vhb-task-ocr bin', () => {
  it('runs the whole pipeline and writes the three result files', () => {
    const result = runBin();
    expect(result.stderr).not.toContain('✖');
    expect(result.status).toBe(0);

    // The fixture adapter answers doc-1 '```text\nHello   \nWorld\n```' -> parsed 'Hello\nWorld' (fence and trailing spaces gone),
    // doc-2 '  Total: 42  \n' -> 'Total: 42', doc-3 'abc' -> 'abc'.
    const predictions = readLines(join(outDir, 'predictions.jsonl'));
    expect(predictions.map((p) => [p.id, p.prediction, p.prompt, p.error])).toEqual([
      ['doc-1', 'Hello\nWorld', 'ocr-default', null],
      ['doc-2', 'Total: 42', 'ocr-default', null],
      ['doc-3', 'abc', 'ocr-default', null],
    ]);
    expect(predictions[0].raw).toBe('```text\nHello   \nWorld\n```');

    // References: 'Hello\nWorld', 'Total: 42', 'abd' -> exact scores 1, 1, 0.
    const metrics = readLines(join(outDir, 'metrics.jsonl'));
    expect(metrics).toEqual([
      { id: 'doc-1', metric: 'fixture-exact@1', score: 1 },
      { id: 'doc-2', metric: 'fixture-exact@1', score: 1 },
      { id: 'doc-3', metric: 'fixture-exact@1', score: 0 },
    ]);

    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(JSON.parse(result.stdout)).toEqual(summary);
    expect(summary.task).toBe('ocr');
    expect(summary.items).toEqual({ total: 3, succeeded: 3, failed: 0 });
    // Mean of 1, 1, 0 = 2/3.
    expect(summary.metrics).toEqual([
      // Resampling three items of which one scores 0 can draw all 0s or all 1s: the 95% interval is [0, 1].
      { id: 'fixture-exact@1', name: 'fixture-exact', version: 1, direction: 'higher', score: 2 / 3, n: 3, ci: [0, 1] },
    ]);
    // doc-3 is the only 'form' (score 0); doc-1 and doc-2 are 'letter' (scores 1, 1 -> 1).
    expect(summary.groups).toEqual([
      {
        by: ['doc_type'],
        rows: [
          // One item gives no interval; two items that both score 1 can only resample to 1.
          { key: { doc_type: 'form' }, n: 1, scores: { 'fixture-exact@1': { score: 0, ci: null, n: 1 } }, prompts: { 'ocr-default': 1 } },
          {
            key: { doc_type: 'letter' },
            n: 2,
            scores: { 'fixture-exact@1': { score: 1, ci: [1, 1], n: 2 } },
            prompts: { 'ocr-default': 2 },
          },
        ],
      },
    ]);
    // Every item took 10 ms in the fixture adapter.
    expect(summary.timing.latencyMs).toEqual({ mean: 10, p50: 10, p90: 10, p99: 10 });

    const calls = readLines(callsFile);
    expect(calls).toEqual(
      ['doc-1', 'doc-2', 'doc-3'].map((id) => ({
        id,
        image: join(fixtures, `${id}.png`),
        prompt: 'Transcribe all the text in this image, line by line. Output only the text.',
        settings: { maxTokens: 64 },
      })),
    );
  });

  it('resumes: a second run asks the adapter nothing and reports the same scores', () => {
    const before = readFileSync(join(outDir, 'summary.json'), 'utf8');
    const result = runBin();
    expect(result.status).toBe(0);
    expect(readLines(callsFile)).toHaveLength(3);
    expect(readLines(join(outDir, 'predictions.jsonl'))).toHaveLength(3);
    const summary = JSON.parse(result.stdout);
    expect(summary.items).toEqual({ total: 3, succeeded: 3, failed: 0 });
    expect(summary.metrics).toEqual(JSON.parse(before).metrics);
  });

  it('exits 2 with usage when --run is missing', () => {
    const result = spawnSync(process.execPath, [join(pkg, 'dist', 'bin.js')], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--run <run.json>');
  });
});
