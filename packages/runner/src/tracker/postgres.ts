import type pg from 'pg';
import { postgres } from '../lazy-modules.js';
import { maskUrlPassword, scrubUrlPassword } from '../url-password.js';
import { type Row, sortRuns, sortStages, toRun, toStage } from './rows.js';
import { SQL, TRACKER_SCHEMA } from './schema.js';
import { type TrackedPlan, type Tracker, trackerError } from './tracker.js';
import { WriteQueue } from './write-queue.js';
import { trackerWrites, type Write } from './writes.js';

/**
 * Key of the advisory lock taken while the tables are created: concurrent `CREATE TABLE IF NOT
 * EXISTS` of the same table can fail in PostgreSQL (a duplicate catalog row), and two workers may
 * well open a fresh database at once.
 */
const SCHEMA_LOCK = 0x76686274;
const UNDEFINED_TABLE = '42P01';

function reason(error: unknown, url: string): string {
  const e = error as Partial<AggregateError & { code: string }>;
  // Node's connect errors to a host with several addresses are AggregateErrors with an empty message.
  const text = e?.message || e?.errors?.map((inner: Error) => inner.message).join('; ') || e?.code || String(error);
  return scrubUrlPassword(text, url);
}

const connectError = (url: string, error: unknown) =>
  trackerError(
    'VHB_E_TRACKER_CONNECT',
    `the PostgreSQL tracker at ${maskUrlPassword(url)} cannot be used: ${reason(error, url)}`,
    'check the URL (postgres://user:password@host:port/database), that the server is up and the database exists; or leave --tracker and VHB_TRACKER_URL unset for the embedded SQLite tracker',
    error,
  );

function newPool(url: string): pg.Pool {
  // One connection: writes must reach the server in order, and a tracker writes a few rows per stage.
  const pool = new (postgres().Pool)({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    application_name: 'vhb-tracker',
  });
  // An idle connection the server drops is replaced at the next checkout; the write that needs it reports.
  pool.on('error', () => {});
  return pool;
}

async function withClient<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const out = await use(client);
    client.release();
    return out;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

async function createSchema(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
  for (const statement of TRACKER_SCHEMA) await client.query(statement);
  await client.query('COMMIT');
}

const run = (client: pg.ClientBase, { sql, values }: Write) =>
  client.query<Row>(
    sql,
    values.map((v) => v ?? null),
  );

async function selectPlan(client: pg.ClientBase, plan: string): Promise<TrackedPlan> {
  const stages = await run(client, { sql: SQL.selectStages, values: [plan] });
  const runs = await run(client, { sql: SQL.selectRuns, values: [plan] });
  return { stages: sortStages(stages.rows.map(toStage)), runs: sortRuns(runs.rows.map(toRun)) };
}

/**
 * Opens the tracker in the PostgreSQL database `url` names, creating its tables when missing.
 * Writes are queued and sent in order on one connection, each a single-row upsert or update:
 * several processes (runs on several workers) can write the same database without losing rows.
 */
export async function openPostgresTracker(url: string): Promise<Tracker> {
  const location = maskUrlPassword(url);
  const pool = newPool(url);
  try {
    await withClient(pool, createSchema);
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectError(url, error);
  }
  let closed = false;
  const queue = new WriteQueue<Write>((pending) =>
    withClient(pool, async (client) => {
      while (pending.length > 0) {
        await run(client, pending[0] as Write);
        pending.shift();
      }
    }),
  );
  const flush = () =>
    queue.flush().catch((error: unknown) => {
      throw trackerError(
        'VHB_E_TRACKER',
        `writing to the PostgreSQL tracker at ${location} failed (${queue.size} change${queue.size === 1 ? '' : 's'} not written): ${reason(error, url)}`,
        'check that the server is up; the changes stay queued and the next flush sends them',
        error,
      );
    });
  const read = async (plan: string): Promise<TrackedPlan> => {
    await flush();
    try {
      return await withClient(pool, (client) => selectPlan(client, plan));
    } catch (error) {
      throw trackerError(
        'VHB_E_TRACKER',
        `reading the PostgreSQL tracker at ${location} failed: ${reason(error, url)}`,
        'check that the server is up',
        error,
      );
    }
  };

  return {
    location,
    ...trackerWrites((write) => {
      if (!closed) queue.push(write);
    }),
    stages: async (plan) => (await read(plan)).stages,
    runs: async (plan) => (await read(plan)).runs,
    flush,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        await pool.end().catch(() => {});
      }
    },
  };
}

/** What the PostgreSQL tracker at `url` holds for a plan; `undefined` when the database has no tracker tables yet. */
export async function readPostgresTracker(url: string, plan: string): Promise<TrackedPlan | undefined> {
  const client = new (postgres().Client)({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'vhb-tracker' });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectError(url, error);
  }
  try {
    return await selectPlan(client, plan);
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
    throw trackerError(
      'VHB_E_TRACKER',
      `reading the PostgreSQL tracker at ${maskUrlPassword(url)} failed: ${reason(error, url)}`,
      'check that the server is up',
      error,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
