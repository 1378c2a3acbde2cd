import { VhbError } from '@vhb/sdk';

/** The database a tracker URL names. */
export type TrackerTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const POSTGRES = /^postgres(ql)?:\/\//i;

/** Replaces the password of a URL (in its user info or a `password=` parameter) with `***`, so it can be printed. */
export function maskTrackerUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    // Not a URL the WHATWG parser takes: mask what looks like `//user:password@` and `password=…`.
    return url.replace(/(\/\/[^/@:]*:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
  }
}

/** `text` with every occurrence of the URL's password masked (a driver's message may quote what it was given). */
export function scrubPassword(text: string, url: string): string {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(url);
    for (const secret of [parsed.password, parsed.searchParams.get('password') ?? '']) {
      if (secret) {
        secrets.add(secret);
        secrets.add(decodeURIComponent(secret));
      }
    }
  } catch {
    // Unparseable: nothing more to find than maskTrackerUrl already hides.
  }
  let out = text.split(url).join(maskTrackerUrl(url));
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

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
    throw new VhbError('VHB_E_TRACKER_URL', `the tracker URL "${maskTrackerUrl(url)}" has no file path`, { hint: 'use sqlite:<path>' });
  }
  return { kind: 'sqlite', path };
}
