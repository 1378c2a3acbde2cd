import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchItem } from './generate.js';
import type { EditCounts } from './ours.js';

/** The Python reference (tools/bench/python/reference.py), next to src/ and dist/. */
export const REFERENCE_SCRIPT = fileURLToPath(new URL('../python/reference.py', import.meta.url));

/** What the Python reference reports for one metric. */
export interface PythonResult {
  items: number;
  /** Wall-clock seconds of the scoring loop (`time.perf_counter()`). */
  seconds: number;
  /** CPU seconds of the scoring loop (`time.process_time()`). */
  cpuSeconds: number;
  aggregate: number;
  mean: number;
  counts: EditCounts | null;
}

export interface PythonRun {
  version: string;
  /** By metric id (`anls@2`). */
  results: Record<string, PythonResult>;
}

/** The version of `python` ("3.11.2"), or null when it cannot be run. */
export function pythonVersion(python: string): string | null {
  const probe = spawnSync(python, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** The items one metric hands to Python. */
export interface PythonBatch {
  /** The metric id (`anls@2`, `cer@1`): reference.py has one implementation per algorithm version. */
  metric: string;
  items: readonly BenchItem[];
}

async function writeJsonl(file: string, batches: readonly PythonBatch[]): Promise<void> {
  const out = createWriteStream(file, 'utf8');
  for (const { metric, items } of batches) {
    for (const { prediction, references } of items) {
      if (!out.write(`${JSON.stringify({ metric, prediction, references })}\n`)) {
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * Writes the batches to a temporary JSON Lines file and runs `python reference.py` on it, in the
 * same benchmark run. The Python times its own scoring loop, so JSON parsing is not counted.
 */
export async function runPython(python: string, batches: readonly PythonBatch[]): Promise<PythonRun> {
  const folder = mkdtempSync(join(tmpdir(), 'vhb-bench-'));
  try {
    const file = join(folder, 'items.jsonl');
    await writeJsonl(file, batches);
    const child = spawnSync(python, [REFERENCE_SCRIPT, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) {
      throw new Error(`${python} ${REFERENCE_SCRIPT} failed (status ${child.status}): ${child.stderr || child.error?.message}`);
    }
    const { python: version, ...results } = JSON.parse(child.stdout) as { python: string } & PythonRun['results'];
    return { version, results };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
