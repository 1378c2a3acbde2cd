import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@vhb-tools/registry';
import pg from 'pg';

const run = promisify(execFile);

/** A throwaway PostgreSQL server on 127.0.0.1 with password login, for tests. */
export interface PostgresServer {
  /** The login password (the URLs carry it, as a user's would). */
  readonly password: string;
  readonly port: number;
  /** The URL of `database` on this server. */
  url(database: string, password?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Where the PostgreSQL binaries are (highest version under /usr/lib/postgresql, or PG_BIN), or why the tests cannot run. */
export function findPostgres(): { bin: string } | { skip: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = process.env.PG_BIN ?? versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!bin || !existsSync(join(bin, 'postgres'))) return { skip: 'no PostgreSQL binaries (apt install postgresql, or set PG_BIN)' };
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) {
    return { skip: 'running as root, and without runuser PostgreSQL cannot be started as another user' };
  }
  return { bin };
}

async function user(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = await run('id', ['-u', 'postgres']).then(
    async (uid) => ({ uid: Number(uid.stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) }),
    () => undefined,
  );
  if (!ids) throw new Error('running as root: PostgreSQL refuses root, and there is no "postgres" user to start it as');
  return ids;
}

/** Starts a fresh server (initdb + pg_ctl, as the `postgres` user when we are root) in a temp folder. */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const owner = await user();
  const dir = await mkdtemp(join(tmpdir(), 'vhb-pg-'));
  const as = (tool: string, args: string[]) =>
    owner ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const data = join(dir, 'data');
  try {
    await writeFile(join(dir, 'password'), password);
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      await chown(join(dir, 'password'), owner.uid, owner.gid);
    }
    const init = [
      '-D',
      data,
      '-U',
      'vhb',
      `--pwfile=${join(dir, 'password')}`,
      '-A',
      'scram-sha-256',
      '--locale=C',
      '-E',
      'UTF8',
      '--no-sync',
    ];
    await as('initdb', init);
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await findFreePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
      try {
        await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
        break;
      } catch (error) {
        // The port may have been taken between findFreePort() and the server's bind.
        if (attempt === 2) throw error;
      }
    }
    const url = (database: string, pass = password) => `postgres://vhb:${encodeURIComponent(pass)}@127.0.0.1:${port}/${database}`;
    let databases = 0;
    return {
      password,
      port,
      url,
      async createDatabase() {
        const name = `tracker_${++databases}`;
        const admin = new pg.Client({ connectionString: url('postgres') });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        return url(name);
      },
      async stop() {
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
