import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILES, type RunSummary } from '@vhb/sdk';
import { canonical, REPORT_INDEX_FILE, type ReportIndex } from './dag.js';
import { fileStamps, filesUnder } from './file-stamps.js';
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

/** Size and mtime of each file under `dir`, relative to it. */
async function listing(dir: string): Promise<string[]> {
  return fileStamps(await filesUnder(dir), dir);
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
  const results = [RESULT_FILES.predictions, RESULT_FILES.metrics, RESULT_FILES.summary, REPORT_INDEX_FILE].map((f) => join(out, f));
  const [lock, stamps] = await Promise.all([readFile(join(out, LOCK_FILE), 'utf8').catch(() => ''), fileStamps(results, out)]);
  return createHash('sha256')
    .update(canonical({ spec: run.spec, lock, dataset: await dataset, results: stamps }))
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
