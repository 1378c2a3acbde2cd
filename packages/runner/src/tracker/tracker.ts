import { hostname } from 'node:os';
import { VhbError } from '@vhb/sdk';
import type { StageKind } from '../dag.js';

/** Name of the tracker's database in the plan's results folder (`results/<plan>/tracker.sqlite`). */
export const TRACKER_FILE = 'tracker.sqlite';

/** Where a stage stands in the tracker. Item-level state is not here: it stays in predictions.jsonl. */
export type TrackedStatus = 'pending' | 'running' | 'done' | 'failed';

/** A stage as the tracker recorded it, for one run (`run` is `''` for the plan's own `prepare`). */
export interface TrackedStage {
  plan: string;
  run: string;
  stageId: string;
  kind: StageKind;
  status: TrackedStatus;
  startedAt?: string;
  finishedAt?: string;
  error?: { code: string; message: string };
  /** How many times the stage was started. */
  attempts: number;
  /** The process that ran it last, and its machine. */
  pid?: number;
  host?: string;
}

/** A run as the tracker recorded it. */
export interface TrackedRun {
  plan: string;
  run: string;
  status: 'running' | 'ok' | 'failed' | 'skipped';
  startedAt: string;
  finishedAt?: string;
  errorCode?: string;
  pid?: number;
  host?: string;
}

/** What a tracker holds for one plan. */
export interface TrackedPlan {
  stages: TrackedStage[];
  runs: TrackedRun[];
}

/**
 * Stage state of a plan's runs. Writes return at once and are applied in call order (the
 * process never waits on the database); reads see every write made before them.
 */
export interface Tracker {
  /** Where the database is: its file, or its PostgreSQL URL with the password masked. */
  readonly location: string;
  startRun(plan: string, run: string): void;
  endRun(plan: string, run: string, status: TrackedRun['status'], errorCode?: string): void;
  startStage(plan: string, run: string | undefined, stageId: string, kind: StageKind): void;
  endStage(plan: string, run: string | undefined, stageId: string): void;
  failStage(plan: string, run: string | undefined, stageId: string, code: string, message: string): void;
  stages(plan: string): Promise<TrackedStage[]>;
  runs(plan: string): Promise<TrackedRun[]>;
  /** Writes pending changes now; rejects when they cannot be written (they stay queued for the next try). */
  flush(): Promise<void>;
  /** Flushes and closes; later calls do nothing. */
  close(): Promise<void>;
}

export interface OpenTrackerOptions {
  /** SQLite: quiet time after a change before the file is written (ms; default 200). Changes in between are written together. */
  debounceMs?: number;
}

export function trackerError(code: 'VHB_E_TRACKER' | 'VHB_E_TRACKER_CONNECT', message: string, hint: string, cause?: unknown): VhbError {
  return new VhbError(code, message, { hint, ...(cause === undefined ? {} : { cause }) });
}

/** Whether the process `pid` is alive on this machine (a process we may not signal counts as alive). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a stage the tracker says is running still has its process: false when it ran here and its pid is gone. */
export function isStageAlive(stage: Pick<TrackedStage, 'pid' | 'host'>): boolean {
  if (stage.pid === undefined) return false;
  if (stage.host && stage.host !== hostname()) return true;
  return isProcessAlive(stage.pid);
}
