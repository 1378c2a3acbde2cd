import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { RESULT_FILES, type RunSummary } from '@vhb/sdk';
import { canonical, REPORT_INDEX_FILE, type ReportIndex } from './dag.js';
import { LOCK_FILE } from './lock.js';
import type { PlannedRun } from './plan.js';

/**
 * The file a finished run leaves in its results folder: a hash of everything the run's results
 * follow from. A later `vhb run` of the plan that finds the same hash skips the run's stages.
 */
export const FINGERPRINT_FILE = 'run-fingerprint.json';

/**
 * Dataset folder → its listing, read once per plan invocation: runs of one dataset share it. A
 * folder changed while the plan runs then fingerprints as it was, and its runs go again next time.
 */
export type DatasetListings = Map<string, Promise<string[]>>;

interface Fingerprint {
  hash: string;
  finishedAt: string;
}

/** Size and modification time of each file under `dir` (sorted), or of `dir` itself; `[]` when absent. */
async function listing(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? e.path, e.name));
  } catch {
    return [];
  }
  const lines = await Promise.all(
    entries.map(async (file) => {
      const s = await stat(file).catch(() => undefined);
      return s ? `${relative(dir, file)}\t${s.size}\t${s.mtimeMs}` : '';
    }),
  );
  return lines.filter(Boolean).sort();
}

async function fileStamp(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  return s ? `${s.size}\t${s.mtimeMs}` : 'absent';
}

/**
 * What a run's results follow from: its resolved spec (task, model, dataset selection, prompts,
 * metrics, reports, settings), its plugin lock, every file of its dataset folder (size and mtime)
 * and the results files themselves (so a touched or removed result is redone).
 */
async function fingerprintOf(run: PlannedRun, listings: DatasetListings): Promise<string> {
  const out = run.spec.outDir;
  const root = run.spec.dataset.root;
  let dataset = listings.get(root);
  if (!dataset) {
    dataset = listing(root);
    listings.set(root, dataset);
  }
  const [lock, ...results] = await Promise.all([
    readFile(join(out, LOCK_FILE), 'utf8').catch(() => ''),
    ...[RESULT_FILES.predictions, RESULT_FILES.metrics, RESULT_FILES.summary, REPORT_INDEX_FILE].map((f) => fileStamp(join(out, f))),
  ]);
  return createHash('sha256')
    .update(canonical({ spec: run.spec, lock, dataset: await dataset, results }))
    .digest('hex');
}

/** Notes that the run finished with every item answered (a run with failed items is asked again next time). */
export async function recordFinished(run: PlannedRun, summary: RunSummary | undefined, listings: DatasetListings): Promise<void> {
  if (!summary || summary.items.failed > 0) return;
  const fingerprint: Fingerprint = { hash: await fingerprintOf(run, listings), finishedAt: new Date().toISOString() };
  await writeFile(join(run.spec.outDir, FINGERPRINT_FILE), `${JSON.stringify(fingerprint, null, 2)}\n`);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The summary of a run that finished earlier with nothing changed since (same fingerprint, every
 * report file still there); undefined when the run has work to do. Runs that sync their dataset
 * always go through the sync (it is cheap when nothing changed, and only it can tell).
 */
export async function finishedEarlier(run: PlannedRun, listings: DatasetListings): Promise<RunSummary | undefined> {
  if (run.sync) return undefined;
  const out = run.spec.outDir;
  const recorded = await readJson<Fingerprint>(join(out, FINGERPRINT_FILE));
  if (!recorded) return undefined;
  const index = await readJson<ReportIndex>(join(out, REPORT_INDEX_FILE));
  const reportsThere = index?.reports.every((r) => r.files.every((file) => existsSync(join(out, file))));
  if (!reportsThere) return undefined;
  if ((await fingerprintOf(run, listings)) !== recorded.hash) return undefined;
  return readJson<RunSummary>(join(out, RESULT_FILES.summary));
}
