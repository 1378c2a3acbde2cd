import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { VhbError } from '@vhb/sdk';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import type { StageKind } from '../dag.js';
import { SQL, TRACKER_SCHEMA } from './schema.js';

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

/** Stage state of a plan's runs, persisted after each batch of changes. */
export interface Tracker {
  /** The database file. */
  readonly file: string;
  startRun(plan: string, run: string): void;
  endRun(plan: string, run: string, status: TrackedRun['status'], errorCode?: string): void;
  startStage(plan: string, run: string | undefined, stageId: string, kind: StageKind): void;
  endStage(plan: string, run: string | undefined, stageId: string): void;
  failStage(plan: string, run: string | undefined, stageId: string, code: string, message: string): void;
  stages(plan: string): TrackedStage[];
  runs(plan: string): TrackedRun[];
  /** Writes pending changes now (export → temp file → rename). */
  flush(): Promise<void>;
  /** Flushes and closes; later calls do nothing. */
  close(): Promise<void>;
}

export interface OpenTrackerOptions {
  /** Quiet time after a change before the file is written (ms; default 200). Changes in between are written together. */
  debounceMs?: number;
}

let sqlJs: Promise<SqlJsStatic> | undefined;
const engine = () => {
  sqlJs ??= initSqlJs();
  return sqlJs;
};

function trackerError(message: string, hint: string, cause?: unknown): VhbError {
  return new VhbError('VHB_E_TRACKER', message, { hint, ...(cause === undefined ? {} : { cause }) });
}

/** `$1…$n` parameters as sql.js binds them (SQLite reads `$1` as a named parameter). */
function params(values: readonly (SqlValue | undefined)[]): Record<string, SqlValue> {
  return Object.fromEntries(values.map((v, i) => [`$${i + 1}`, v ?? null]));
}

function rows(db: Database, sql: string, values: readonly SqlValue[]): Record<string, SqlValue>[] {
  const statement = db.prepare(sql, params(values));
  try {
    const out: Record<string, SqlValue>[] = [];
    while (statement.step()) out.push(statement.getAsObject());
    return out;
  } finally {
    statement.free();
  }
}

const text = (value: SqlValue): string | undefined => (value === null || value === undefined ? undefined : String(value));
const int = (value: SqlValue): number | undefined => (typeof value === 'number' ? value : undefined);

function toStage(row: Record<string, SqlValue>): TrackedStage {
  const code = text(row.error_code ?? null);
  const startedAt = text(row.started_at ?? null);
  const finishedAt = text(row.finished_at ?? null);
  const pid = int(row.pid ?? null);
  const host = text(row.host ?? null);
  return {
    plan: String(row.plan),
    run: String(row.run),
    stageId: String(row.stage_id),
    kind: String(row.kind) as StageKind,
    status: String(row.status) as TrackedStatus,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(code ? { error: { code, message: text(row.error_message ?? null) ?? '' } } : {}),
    attempts: int(row.attempts ?? null) ?? 0,
    ...(pid === undefined ? {} : { pid }),
    ...(host ? { host } : {}),
  };
}

function toRun(row: Record<string, SqlValue>): TrackedRun {
  const finishedAt = text(row.finished_at ?? null);
  const errorCode = text(row.error_code ?? null);
  const pid = int(row.pid ?? null);
  const host = text(row.host ?? null);
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

async function loadDatabase(file: string): Promise<Database> {
  const SQL_ = await engine();
  let db: Database;
  if (existsSync(file)) {
    try {
      db = new SQL_.Database(new Uint8Array(await readFile(file)));
      db.exec('SELECT count(*) FROM sqlite_master');
    } catch (error) {
      throw trackerError(
        `the tracker database ${file} cannot be read: ${(error as Error).message}`,
        'delete the file; the stage state is read again from the results on disk (only running/failed marks are lost)',
        error,
      );
    }
  } else db = new SQL_.Database();
  for (const statement of TRACKER_SCHEMA) db.exec(statement);
  return db;
}

/** Opens (or creates) the tracker database at `file`, a SQLite file run in memory by sql.js and written back atomically. */
export async function openTracker(file: string, options: OpenTrackerOptions = {}): Promise<Tracker> {
  const db = await loadDatabase(file);
  const debounceMs = options.debounceMs ?? 200;
  const pid = process.pid;
  const host = hostname();
  let dirty = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const knownPlans = new Set<string>();

  const write = async () => {
    if (!dirty) return;
    dirty = false;
    const bytes = db.export();
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${pid}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write, write);
    return writing;
  };
  const changed = () => {
    dirty = true;
    if (timer) clearTimeout(timer);
    // A failed background write is retried by the next change or by close(), which reports it.
    timer = setTimeout(() => void flush().catch(() => (dirty = true)), debounceMs);
    timer.unref();
  };
  const run = (sql: string, values: readonly (SqlValue | undefined)[]) => {
    if (closed) return;
    db.run(sql, params(values));
    changed();
  };
  const plan = (name: string, now: string) => {
    if (knownPlans.has(name)) return;
    knownPlans.add(name);
    run(SQL.upsertPlan, [name, now]);
  };
  const finish = (name: string, runName: string | undefined, stageId: string, status: TrackedStatus, code?: string, message?: string) =>
    run(SQL.finishStage, [name, runName ?? '', stageId, status, new Date().toISOString(), code, message]);

  return {
    file,
    startRun(name, runName) {
      const now = new Date().toISOString();
      plan(name, now);
      run(SQL.startRun, [name, runName, now, pid, host]);
    },
    endRun(name, runName, status, errorCode) {
      run(SQL.endRun, [name, runName, status, new Date().toISOString(), errorCode]);
    },
    startStage(name, runName, stageId, kind) {
      const now = new Date().toISOString();
      plan(name, now);
      run(SQL.startStage, [name, runName ?? '', stageId, kind, now, pid, host]);
    },
    endStage: (name, runName, stageId) => finish(name, runName, stageId, 'done'),
    failStage: (name, runName, stageId, code, message) => finish(name, runName, stageId, 'failed', code, message),
    stages: (name) => rows(db, SQL.selectStages, [name]).map(toStage),
    runs: (name) => rows(db, SQL.selectRuns, [name]).map(toRun),
    flush,
    async close() {
      if (closed) return;
      try {
        await flush();
      } finally {
        closed = true;
        db.close();
      }
    },
  };
}

/** What a tracker file holds for a plan, read without keeping it open; `undefined` when there is no file. */
export async function readTracker(file: string, plan: string): Promise<{ stages: TrackedStage[]; runs: TrackedRun[] } | undefined> {
  if (!existsSync(file)) return undefined;
  const db = await loadDatabase(file);
  try {
    return { stages: rows(db, SQL.selectStages, [plan]).map(toStage), runs: rows(db, SQL.selectRuns, [plan]).map(toRun) };
  } finally {
    db.close();
  }
}

/**
 * The tracker a connection URL names: `sqlite:<path>` (or a plain path) opens the embedded SQLite
 * database. `postgres://` / `postgresql://` are not supported yet (the schema runs there; the driver is not written).
 */
export async function trackerFor(url: string, options: OpenTrackerOptions = {}): Promise<Tracker> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new VhbError('VHB_E_TRACKER_URL', 'a PostgreSQL tracker is not supported yet', {
      hint: 'use the embedded SQLite tracker (sqlite:<path>, the default results/<plan>/tracker.sqlite); the schema (TRACKER_SCHEMA) already runs on PostgreSQL',
    });
  }
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(url);
  if (match && match[1]?.toLowerCase() !== 'sqlite' && !/^[a-z]:[\\/]/i.test(url)) {
    throw new VhbError('VHB_E_TRACKER_URL', `the tracker URL "${match[1]}:…" names no known database`, {
      hint: 'use sqlite:<path> (or a plain file path)',
    });
  }
  const path = match && match[1]?.toLowerCase() === 'sqlite' ? (match[2] ?? '').replace(/^\/\/(?=\/)/, '') : url;
  if (!path) throw new VhbError('VHB_E_TRACKER_URL', `the tracker URL "${url}" has no file path`, { hint: 'use sqlite:<path>' });
  return openTracker(path, options);
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
