import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue, type Statement } from 'sql.js';
import { type Row, sortRuns, sortStages, toRun, toStage } from './rows.js';
import { SQL, TRACKER_SCHEMA } from './schema.js';
import { type OpenTrackerOptions, type TrackedPlan, type Tracker, trackerError } from './tracker.js';
import { trackerWrites, type Write } from './writes.js';

let sqlJs: Promise<SqlJsStatic> | undefined;
const engine = () => {
  sqlJs ??= initSqlJs();
  return sqlJs;
};

/** `$1…$n` parameters as sql.js binds them (SQLite reads `$1` as a named parameter). */
function params(values: Write['values']): Record<string, SqlValue> {
  return Object.fromEntries(values.map((v, i) => [`$${i + 1}`, v ?? null]));
}

function rows(db: Database, sql: string, values: Write['values']): Row[] {
  const statement = db.prepare(sql, params(values));
  try {
    const out: Row[] = [];
    while (statement.step()) out.push(statement.getAsObject());
    return out;
  } finally {
    statement.free();
  }
}

function readPlan(db: Database, plan: string): TrackedPlan {
  return {
    stages: sortStages(rows(db, SQL.selectStages, [plan]).map(toStage)),
    runs: sortRuns(rows(db, SQL.selectRuns, [plan]).map(toRun)),
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
        'VHB_E_TRACKER',
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
  let dirty = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  // Writes of one tick go in one transaction: sql.js commits each lone statement on its own, at a
  // cost many times the statement's.
  let inTransaction = false;
  const commit = () => {
    if (!inTransaction) return;
    inTransaction = false;
    db.exec('COMMIT');
  };
  const write = async () => {
    commit();
    if (!dirty) return;
    dirty = false;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      const bytes = db.export();
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (error) {
      dirty = true;
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
    timer = setTimeout(() => void flush().catch(() => {}), debounceMs);
    timer.unref();
  };
  // Each statement compiled once: compiling is most of what a small write costs in sql.js.
  const statements = new Map<string, Statement>();
  const writes = trackerWrites(({ sql, values }) => {
    if (closed) return;
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    if (!inTransaction) {
      db.exec('BEGIN');
      inTransaction = true;
      setImmediate(commit);
    }
    statement.run(params(values));
    changed();
  });

  return {
    location: file,
    ...writes,
    stages: async (plan) => {
      commit();
      return readPlan(db, plan).stages;
    },
    runs: async (plan) => {
      commit();
      return readPlan(db, plan).runs;
    },
    flush,
    async close() {
      if (closed) return;
      try {
        await flush();
      } finally {
        closed = true;
        commit();
        db.close();
      }
    },
  };
}

/** What a SQLite tracker file holds for a plan, read without keeping it open; `undefined` when there is no file. */
export async function readSqliteTracker(file: string, plan: string): Promise<TrackedPlan | undefined> {
  if (!existsSync(file)) return undefined;
  const db = await loadDatabase(file);
  try {
    return readPlan(db, plan);
  } finally {
    db.close();
  }
}
