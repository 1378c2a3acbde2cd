import { VhbError } from '@vhb/sdk';
import { maskUrlPassword } from '../url-password.js';

/** The database a tracker URL names. */
export type TrackerTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const POSTGRES = /^postgres(ql)?:\/\//i;

/**
 * What a tracker URL names: `postgres://` / `postgresql://` a PostgreSQL database; `sqlite:<path>`
 * or a plain path (a Windows drive path included) a SQLite file.
 */
export function parseTrackerUrl(url: string): TrackerTarget {
  if (POSTGRES.test(url)) return { kind: 'postgres', url };
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(url);
  const isDrivePath = /^[a-z]:[\\/]/i.test(url);
  if (match && match[1]?.toLowerCase() !== 'sqlite' && !isDrivePath) {
    throw new VhbError('VHB_E_TRACKER_URL', `the tracker URL "${match[1]}:…" names no known database`, {
      hint: 'use postgres://user:password@host:port/database, sqlite:<path>, or a plain file path',
    });
  }
  const path = match && !isDrivePath ? (match[2] ?? '').replace(/^\/\/(?=\/)/, '') : url;
  if (!path) {
    throw new VhbError('VHB_E_TRACKER_URL', `the tracker URL "${maskUrlPassword(url)}" has no file path`, { hint: 'use sqlite:<path>' });
  }
  return { kind: 'sqlite', path };
}
