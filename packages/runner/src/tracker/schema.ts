/**
 * The tracker's tables, as plain SQL that runs unchanged on SQLite (3.24+) and PostgreSQL: text
 * and integer columns only, times as ISO 8601 text, `CHECK` for the status, composite primary keys,
 * upserts with `INSERT … ON CONFLICT … DO UPDATE`, and parameters written `$1, $2, …` (PostgreSQL's
 * numbered parameters; SQLite reads them as named ones). A plan-level stage (`prepare`) has run `''`.
 * What differs stays in the drivers: how values are bound (sqlite.ts, postgres.ts) and the order of
 * rows read, which rows.ts sets in code (the two order text and NULLs differently).
 */
export const TRACKER_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS plans (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS runs (
  plan TEXT NOT NULL REFERENCES plans (name),
  run TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  error_code TEXT,
  pid INTEGER,
  host TEXT,
  PRIMARY KEY (plan, run)
)`,
  `CREATE TABLE IF NOT EXISTS stages (
  plan TEXT NOT NULL REFERENCES plans (name),
  run TEXT NOT NULL,
  stage_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  started_at TEXT,
  finished_at TEXT,
  error_code TEXT,
  error_message TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  pid INTEGER,
  host TEXT,
  PRIMARY KEY (plan, run, stage_id)
)`,
];

export const SQL = {
  upsertPlan: `INSERT INTO plans (name, created_at, updated_at) VALUES ($1, $2, $2)
ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at`,
  startRun: `INSERT INTO runs (plan, run, status, started_at, finished_at, error_code, pid, host) VALUES ($1, $2, 'running', $3, NULL, NULL, $4, $5)
ON CONFLICT (plan, run) DO UPDATE SET status = 'running', started_at = excluded.started_at, finished_at = NULL, error_code = NULL,
  pid = excluded.pid, host = excluded.host`,
  endRun: `UPDATE runs SET status = $3, finished_at = $4, error_code = $5 WHERE plan = $1 AND run = $2`,
  startStage: `INSERT INTO stages (plan, run, stage_id, kind, status, started_at, finished_at, error_code, error_message, attempts, pid, host)
VALUES ($1, $2, $3, $4, 'running', $5, NULL, NULL, NULL, 1, $6, $7)
ON CONFLICT (plan, run, stage_id) DO UPDATE SET status = 'running', kind = excluded.kind, started_at = excluded.started_at,
  finished_at = NULL, error_code = NULL, error_message = NULL, attempts = stages.attempts + 1, pid = excluded.pid, host = excluded.host`,
  finishStage: `UPDATE stages SET status = $4, finished_at = $5, error_code = $6, error_message = $7
WHERE plan = $1 AND run = $2 AND stage_id = $3`,
  selectStages: `SELECT plan, run, stage_id, kind, status, started_at, finished_at, error_code, error_message, attempts, pid, host
FROM stages WHERE plan = $1 ORDER BY started_at, run, stage_id`,
  selectRuns: `SELECT plan, run, status, started_at, finished_at, error_code, pid, host FROM runs WHERE plan = $1 ORDER BY run`,
} as const;
