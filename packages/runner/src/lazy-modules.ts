import { createRequire } from 'node:module';

/**
 * Heavy dependencies that only some commands use, required on first use: BullMQ and ioredis
 * (queues), pg (a PostgreSQL tracker), dockerode (docker runs). Imported at the top they would
 * add about a second to every `vhb` start, queue or not.
 */
const require = createRequire(import.meta.url);

function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}

export const bullmq = lazy<typeof import('bullmq')>('bullmq');
export const ioredis = lazy<typeof import('ioredis')>('ioredis');
export const postgres = lazy<typeof import('pg')>('pg');
export const dockerode = lazy<typeof import('dockerode')>('dockerode');
