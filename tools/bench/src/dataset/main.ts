#!/usr/bin/env node
import { once } from 'node:events';
// `bench:dataset`: iterates a generated JSON Lines manifest of N rows (default 1,000,000) through
// the dataset-jsonl plugin and the host's selection (filter + limit), and prints rows/s and the
// peak RSS against the issue's goal (< 200 MB). Baseline, measured in the same run: reading the
// same file line by line with node:readline and JSON.parse, which is the least any iterator does.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import datasetJsonl from '@vhb/dataset-jsonl';
import { selectItems } from '@vhb/sdk';

/** The issue's goal for the peak RSS of iterating 1,000,000 rows. */
export const DATASET_RSS_GOAL_BYTES = 200_000_000;

export interface DatasetBenchResult {
  rows: number;
  fileBytes: number;
  baseline: { rowsPerSecond: number };
  iterator: { rowsPerSecond: number; kept: number };
  peakRssBytes: number;
}

const DOC_TYPES = ['receipt', 'invoice', 'form', 'letter'];

/** Writes `rows` manifest lines: text-only items (no image), a question, two references, metadata. */
async function writeManifest(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i += 1) {
    const line = `${JSON.stringify({
      id: `row-${i}`,
      question: `What is the total of document ${i}?`,
      references: [`${(i * 37) % 1000}.${i % 100}`, `total ${i}`],
      metadata: { doc_type: DOC_TYPES[i % 4], language: i % 3 ? 'en' : 'ru', index: i },
    })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function baseline(path: string): Promise<number> {
  const started = performance.now();
  let rows = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line) {
      JSON.parse(line);
      rows += 1;
    }
  }
  return rows / ((performance.now() - started) / 1000);
}

/** Rows through the plugin and the selection the run pipeline applies (a filter keeping a quarter). */
async function throughIterator(root: string): Promise<{ rowsPerSecond: number; rows: number; kept: number }> {
  let rows = 0;
  const counted = async function* () {
    for await (const item of datasetJsonl.items({ root }, { manifest: 'manifest.jsonl' }, { logger: console, env: {} })) {
      rows += 1;
      yield item;
    }
  };
  const started = performance.now();
  let kept = 0;
  for await (const _item of selectItems(counted(), { filter: { doc_type: 'invoice' } })) kept += 1;
  return { rowsPerSecond: rows / ((performance.now() - started) / 1000), rows, kept };
}

export async function runDatasetBench(rows: number): Promise<DatasetBenchResult> {
  const root = await mkdtemp(join(tmpdir(), 'vhb-bench-dataset-'));
  try {
    const path = join(root, 'manifest.jsonl');
    await writeManifest(path, rows);
    const fileBytes = (await stat(path)).size;
    const base = await baseline(path);
    const ours = await throughIterator(root);
    if (ours.rows !== rows) throw new Error(`the iterator yielded ${ours.rows} rows of ${rows}`);
    // maxRSS is in kilobytes: the high-water mark of the whole process, generation included.
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    return {
      rows,
      fileBytes,
      baseline: { rowsPerSecond: base },
      iterator: { rowsPerSecond: ours.rowsPerSecond, kept: ours.kept },
      peakRssBytes,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} rows/s`;

export function formatDatasetBench(result: DatasetBenchResult): string {
  const ratio = result.iterator.rowsPerSecond / result.baseline.rowsPerSecond;
  return [
    `VLMHyperBench dataset streaming benchmark: ${result.rows.toLocaleString('en-US')} JSON Lines rows (${mb(result.fileBytes)}), node ${process.version}, ${cpus().length} CPUs`,
    `baseline  readline + JSON.parse: ${rate(result.baseline.rowsPerSecond)}`,
    `ours      dataset-jsonl + selectItems (filter doc_type = invoice, ${result.iterator.kept.toLocaleString('en-US')} kept): ${rate(result.iterator.rowsPerSecond)} (${(ratio * 100).toFixed(0)}% of the baseline)`,
    `peak RSS  ${mb(result.peakRssBytes)} (goal < ${mb(DATASET_RSS_GOAL_BYTES)}: ${result.peakRssBytes < DATASET_RSS_GOAL_BYTES ? 'met' : 'NOT met'})`,
    '',
  ].join('\n');
}

export async function datasetMain(args: string[], out: { write(text: string): unknown } = process.stdout): Promise<number> {
  let rows = 1_000_000;
  const at = args.indexOf('--rows');
  if (at >= 0) {
    const value = Number(args[at + 1]);
    if (!Number.isInteger(value) || value < 1) {
      process.stderr.write('bench:dataset: --rows takes a positive integer\nUsage: bench:dataset [--rows N]\n');
      return 2;
    }
    rows = value;
  }
  out.write(formatDatasetBench(await runDatasetBench(rows)));
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await datasetMain(process.argv.slice(2));
}
