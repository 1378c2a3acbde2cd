import type { PreparedEnvironment } from '@vhb/core';
import type { RunEvent, RunSummary } from '@vhb/sdk';

/** How one run of a plan ended. */
export type RunStatus = 'ok' | 'skipped' | 'failed';

export interface RunOutcome {
  run: string;
  dataset: string;
  status: RunStatus;
  /** Why the run was skipped or failed, with what to do. */
  reason?: string;
  /** Error code, when it failed. */
  code?: string;
  summary?: RunSummary;
  /** The run finished earlier and nothing it depends on changed since: its stages were skipped. */
  reused?: boolean;
  outDir: string;
  durationMs: number;
}

/** What the runner reports while a plan runs: the CLI draws progress from these. */
export type RunnerEvent =
  | { type: 'plugins-start'; total: number }
  | {
      type: 'plugins-done';
      resolved: number;
      cached: number;
      failed: number;
      durationMs: number;
      /** Folders npm plugins were installed into together (one per registry); none for local plugins. */
      environments: PreparedEnvironment[];
    }
  | { type: 'run-start'; run: string; dataset: string }
  | { type: 'run-event'; run: string; event: RunEvent }
  | { type: 'run-end'; outcome: RunOutcome }
  /** A finished run's results folder went to the plan's `upload` location (only changed files were sent). */
  | { type: 'run-uploaded'; run: string; to: string; uploaded: number; unchanged: number; bytes: number }
  | { type: 'run-upload-failed'; run: string; to: string; message: string };
