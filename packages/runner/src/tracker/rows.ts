import type { StageKind } from '../dag.js';
import type { TrackedRun, TrackedStage, TrackedStatus } from './tracker.js';

/** A result row as either driver returns it: column name → text, integer or null. */
export type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
const int = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function toStage(row: Row): TrackedStage {
  const code = text(row.error_code);
  const startedAt = text(row.started_at);
  const finishedAt = text(row.finished_at);
  const pid = int(row.pid);
  const host = text(row.host);
  return {
    plan: String(row.plan),
    run: String(row.run),
    stageId: String(row.stage_id),
    kind: String(row.kind) as StageKind,
    status: String(row.status) as TrackedStatus,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(code ? { error: { code, message: text(row.error_message) ?? '' } } : {}),
    attempts: int(row.attempts) ?? 0,
    ...(pid === undefined ? {} : { pid }),
    ...(host ? { host } : {}),
  };
}

export function toRun(row: Row): TrackedRun {
  const finishedAt = text(row.finished_at);
  const errorCode = text(row.error_code);
  const pid = int(row.pid);
  const host = text(row.host);
  return {
    plan: String(row.plan),
    run: String(row.run),
    status: String(row.status) as TrackedRun['status'],
    startedAt: String(row.started_at),
    ...(finishedAt ? { finishedAt } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(pid === undefined ? {} : { pid }),
    ...(host ? { host } : {}),
  };
}

// Sorted here, by code point, rather than by ORDER BY: PostgreSQL orders text by the database's
// collation and NULLs last, SQLite bytewise and NULLs first; both backends must list rows alike.
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortStages(stages: TrackedStage[]): TrackedStage[] {
  return stages.sort(
    (a, b) => byCodePoint(a.startedAt ?? '', b.startedAt ?? '') || byCodePoint(a.run, b.run) || byCodePoint(a.stageId, b.stageId),
  );
}

export function sortRuns(runs: TrackedRun[]): TrackedRun[] {
  return runs.sort((a, b) => byCodePoint(a.run, b.run));
}
