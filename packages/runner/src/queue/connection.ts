import { VhbError } from '@vhb/sdk';
import type { Redis } from 'ioredis';
import { ioredis } from '../lazy-modules.js';
import { maskUrlPassword, scrubUrlPassword } from '../url-password.js';

const SCHEMES = new Set(['redis:', 'rediss:']);

/** Checks a queue URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS); throws `VHB_E_QUEUE_URL`. */
export function parseQueueUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const db = parsed?.pathname.replace(/^\//, '') ?? '';
  if (!parsed || !SCHEMES.has(parsed.protocol) || !parsed.hostname || !/^\d*$/.test(db)) {
    throw new VhbError('VHB_E_QUEUE_URL', `the queue URL ${JSON.stringify(maskUrl(url))} is not a Redis URL`, {
      hint: 'write it as redis://host:port[/db] (rediss:// for TLS; a password as redis://:password@host:port)',
    });
  }
  return parsed;
}

/** The queue URL as messages show it: its password `***` (a trailing slash dropped). */
export function maskUrl(url: string): string {
  return maskUrlPassword(url).replace(/\/$/, '');
}

/** The text with the URL's password (if any) replaced by `***`: ioredis errors may quote what they were given. */
export const maskSecrets = scrubUrlPassword;

export interface ConnectOptions {
  /** How long the first connection may take, in ms (default 5000). */
  connectTimeoutMs?: number;
}

/**
 * Connects to the queue's Redis and waits until it answers: an unreachable server is an error
 * now (`VHB_E_QUEUE_CONNECT`), not a silent retry loop. Once connected, a dropped connection is
 * retried (every 0.2–2 s) for as long as it takes, as BullMQ workers need. Close it with `quit()`.
 */
export async function connectQueue(url: string, options: ConnectOptions = {}): Promise<Redis> {
  parseQueueUrl(url);
  let ready = false;
  const redis = new (ioredis().Redis)(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // BullMQ's blocking commands must never give up on their own.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => (ready ? Math.min(200 * times, 2000) : null),
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every failed reconnect; the first failure is reported below.
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    ready = true;
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = maskSecrets((lastError ?? (error as Error))?.message ?? String(error), url);
    throw new VhbError('VHB_E_QUEUE_CONNECT', `cannot reach the queue at ${maskUrl(url)}: ${reason}`, {
      hint: 'start Redis (redis-server) or fix the host, port and password of --queue',
      cause: error,
    });
  }
}
