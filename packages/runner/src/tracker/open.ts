import { resolve } from 'node:path';
import { parseTrackerUrl } from './location.js';
import { openPostgresTracker, readPostgresTracker } from './postgres.js';
import { openTracker, readSqliteTracker } from './sqlite.js';
import type { OpenTrackerOptions, TrackedPlan, Tracker } from './tracker.js';

/** Environment variable that names the tracker when no `--tracker` is given. */
export const TRACKER_URL_ENV = 'VHB_TRACKER_URL';

/**
 * The tracker a connection URL names: `postgres://user:password@host:port/database` (or
 * `postgresql://`) a PostgreSQL database, `sqlite:<path>` or a plain path the embedded SQLite file.
 * Both hold the same tables (TRACKER_SCHEMA).
 */
export async function trackerFor(url: string, options: OpenTrackerOptions = {}): Promise<Tracker> {
  const target = parseTrackerUrl(url);
  return target.kind === 'postgres' ? openPostgresTracker(target.url) : openTracker(target.path, options);
}

/** What the tracker at `url` (as for trackerFor) holds for a plan, read without keeping it open; `undefined` when there is none yet. */
export async function readTracker(url: string, plan: string): Promise<TrackedPlan | undefined> {
  const target = parseTrackerUrl(url);
  return target.kind === 'postgres' ? readPostgresTracker(target.url, plan) : readSqliteTracker(target.path, plan);
}

/**
 * The tracker a command was asked for: `option` (a `--tracker`), else `VHB_TRACKER_URL`, else
 * `undefined` (the plan's `results/<plan>/tracker.sqlite`). A file path is resolved against `cwd`.
 */
export function resolveTrackerUrl(
  option: string | undefined,
  { cwd = process.cwd(), env = process.env }: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string | undefined {
  const chosen = option || env[TRACKER_URL_ENV] || undefined;
  if (!chosen) return undefined;
  const target = parseTrackerUrl(chosen);
  return target.kind === 'sqlite' ? resolve(cwd, target.path) : chosen;
}
