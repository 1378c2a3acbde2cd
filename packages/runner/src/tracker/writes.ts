import { hostname } from 'node:os';
import { SQL } from './schema.js';
import type { TrackedStatus, Tracker } from './tracker.js';

/** A statement of schema.ts's `SQL` and its `$1…$n` values (`undefined` is NULL). */
export type Write = { sql: string; values: readonly (string | number | null | undefined)[] };

export type TrackerWrites = Pick<Tracker, 'startRun' | 'endRun' | 'startStage' | 'endStage' | 'failStage'>;

/**
 * The tracker's write methods, as statements handed to `apply` in call order: both backends run
 * exactly these. Each is a single-row upsert or update, so writers in several processes never
 * overwrite each other's rows (`attempts` is incremented by the database, not read and rewritten).
 */
export function trackerWrites(apply: (write: Write) => void): TrackerWrites {
  const pid = process.pid;
  const host = hostname();
  // Upserted with every start, not once per process: the row may have been deleted since (the runs and stages refer to it).
  const plan = (name: string, now: string) => apply({ sql: SQL.upsertPlan, values: [name, now] });
  const finish = (name: string, run: string | undefined, stageId: string, status: TrackedStatus, code?: string, message?: string) =>
    apply({ sql: SQL.finishStage, values: [name, run ?? '', stageId, status, new Date().toISOString(), code, message] });
  return {
    startRun(name, run) {
      const now = new Date().toISOString();
      plan(name, now);
      apply({ sql: SQL.startRun, values: [name, run, now, pid, host] });
    },
    endRun(name, run, status, errorCode) {
      apply({ sql: SQL.endRun, values: [name, run, status, new Date().toISOString(), errorCode] });
    },
    startStage(name, run, stageId, kind) {
      const now = new Date().toISOString();
      plan(name, now);
      apply({ sql: SQL.startStage, values: [name, run ?? '', stageId, kind, now, pid, host] });
    },
    endStage: (name, run, stageId) => finish(name, run, stageId, 'done'),
    failStage: (name, run, stageId, code, message) => finish(name, run, stageId, 'failed', code, message),
  };
}
