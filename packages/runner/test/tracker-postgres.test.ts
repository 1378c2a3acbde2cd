import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskTrackerUrl, readTracker, resolveTrackerUrl, TRACKER_URL_ENV, trackerFor } from '../src/index.js';
import { findPostgres, type PostgresServer, startPostgres } from './helpers/postgres-server.js';

const dist = join(import.meta.dirname, '..', 'dist', 'index.js');

describe('tracker URLs', () => {
  it('masks the password wherever a URL carries one', () => {
    expect(maskTrackerUrl('postgres://vhb:s3cret@db.lan:5432/bench')).toBe('postgres://vhb:***@db.lan:5432/bench');
    expect(maskTrackerUrl('postgresql://vhb:p%40ss@db/bench?sslmode=require')).toBe('postgresql://vhb:***@db/bench?sslmode=require');
    expect(maskTrackerUrl('postgres://db/bench?user=vhb&password=s3cret')).toBe('postgres://db/bench?user=vhb&password=***');
    expect(maskTrackerUrl('postgres://vhb@db/bench')).toBe('postgres://vhb@db/bench');
    expect(maskTrackerUrl('results/p/tracker.sqlite')).toBe('results/p/tracker.sqlite');
  });

  it('takes --tracker, else VHB_TRACKER_URL, else nothing; a path resolved against the project', () => {
    const env = { [TRACKER_URL_ENV]: 'postgres://vhb:x@db/bench' };
    expect(resolveTrackerUrl('postgresql://a@b/c', { cwd: '/p', env })).toBe('postgresql://a@b/c');
    expect(resolveTrackerUrl(undefined, { cwd: '/p', env })).toBe('postgres://vhb:x@db/bench');
    expect(resolveTrackerUrl(undefined, { cwd: '/p', env: {} })).toBeUndefined();
    expect(resolveTrackerUrl('state/t.sqlite', { cwd: '/p', env })).toBe('/p/state/t.sqlite');
    expect(resolveTrackerUrl('sqlite:t.sqlite', { cwd: '/p', env })).toBe('/p/t.sqlite');
    expect(() => resolveTrackerUrl('mysql://x', { cwd: '/p', env })).toThrow(expect.objectContaining({ code: 'VHB_E_TRACKER_URL' }));
  });
});

const found = findPostgres();
let server: PostgresServer;

/** Runs `script` (an ES module body with `trackerFor` in scope) in a separate node process; resolves with its stdout. */
function writer(script: string, go: Promise<void>): { ready: Promise<void>; done: Promise<string> } {
  const body = `import { trackerFor } from ${JSON.stringify(pathToFileURL(dist).href)};\n${script}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', body], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk;
  });
  void go.then(() => child.stdin.end('go\n'));
  const done = new Promise<string>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer exited ${code}: ${err}`)))),
  );
  return { ready, done };
}

const suite = 'skip' in found ? describe.skip : describe;
describe('tracker on PostgreSQL: several writers', () => {
  suite('skip' in found ? `skipped: ${found.skip}` : 'against a real server', { timeout: 120_000 }, () => {
    beforeAll(async () => {
      expect(existsSync(dist), 'build @vhb/runner first (pnpm --filter @vhb/runner build)').toBe(true);
      if ('bin' in found) server = await startPostgres(found.bin);
    }, 60_000);
    afterAll(() => server?.stop());

    it('two processes writing one tracker at once lose no rows and no attempts', async () => {
      const url = await server.createDatabase();
      const RUNS = 150;
      let start = () => {};
      const go = new Promise<void>((resolve) => {
        start = resolve;
      });
      // Each writer opens the tracker, says ready, waits for the go, then writes: both write at the same time.
      const script = (who: string) => `
const t = await trackerFor(process.argv.at(-1) ?? '');
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let i = 0; i < ${RUNS}; i++) {
  const run = '${who}-' + String(i).padStart(3, '0');
  t.startRun('p', run);
  t.startStage('p', undefined, 'prepare', 'prepare');
  t.startStage('p', run, 'inference:' + run, 'inference');
  t.endStage('p', run, 'inference:' + run);
  t.endRun('p', run, 'ok');
  // A pause per run spreads each writer's runs over a few hundred ms, so the two overlap even on a loaded machine.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await t.close();`;
      const writers = ['a', 'b'].map((who) => writer(`process.argv.push(${JSON.stringify(url)});\n${script(who)}`, go));
      await Promise.all(writers.map((w) => w.ready));
      start();
      await Promise.all(writers.map((w) => w.done));

      const read = await readTracker(url, 'p');
      const runs = read?.runs ?? [];
      expect(runs).toHaveLength(2 * RUNS);
      expect(runs.every((r) => r.status === 'ok')).toBe(true);
      expect(new Set(runs.map((r) => r.pid)).size).toBe(2);
      const stages = read?.stages ?? [];
      expect(stages.filter((s) => s.kind === 'inference' && s.status === 'done')).toHaveLength(2 * RUNS);
      // Every start of the shared stage counted, whichever process made it: an upsert, not read-modify-write.
      expect(stages.find((s) => s.stageId === 'prepare')?.attempts).toBe(2 * RUNS);
      // The two really wrote at the same time: each one's runs started before the other's last one.
      const span = (who: string) => runs.filter((r) => r.run.startsWith(`${who}-`)).map((r) => r.startedAt);
      const [a, b] = [span('a'), span('b')];
      expect((a[0] ?? '') < (b.at(-1) ?? '') && (b[0] ?? '') < (a.at(-1) ?? '')).toBe(true);
    });

    it('creates its tables once when several trackers open a fresh database together', async () => {
      const url = await server.createDatabase();
      const trackers = await Promise.all(Array.from({ length: 4 }, () => trackerFor(url)));
      trackers.forEach((t, i) => {
        t.startRun('p', `r${i}`);
      });
      await Promise.all(trackers.map((t) => t.close()));
      expect((await readTracker(url, 'p'))?.runs.map((r) => r.run)).toEqual(['r0', 'r1', 'r2', 'r3']);
    });

    it('names the server with the password masked when it cannot be used', async () => {
      const wrong = server.url('postgres', 'not-the-password');
      const cases: [string, RegExp][] = [
        [wrong, /password authentication failed/],
        [server.url('no_such_db'), /database "no_such_db" does not exist/],
        [`postgres://vhb:${server.password}@127.0.0.1:1/x`, /ECONNREFUSED/],
      ];
      for (const [url, why] of cases) {
        const error = await trackerFor(url).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'VHB_E_TRACKER_CONNECT', message: expect.stringMatching(why) });
        const { message, hint } = error as { message: string; hint: string };
        expect(message).toContain(maskTrackerUrl(url));
        expect(`${message} ${hint}`).not.toMatch(/not-the-password/);
        expect(`${message} ${hint}`).not.toContain(server.password);
        await expect(readTracker(url, 'p')).rejects.toMatchObject({ code: 'VHB_E_TRACKER_CONNECT' });
      }
    });

    it('keeps writes queued while the database is gone, reports it on flush, and sends them when it is back', async () => {
      const url = await server.createDatabase();
      const name = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: server.url('postgres') });
      await admin.connect();
      try {
        const tracker = await trackerFor(url);
        expect(tracker.location).toBe(maskTrackerUrl(url));
        tracker.startRun('p', 'before');
        await tracker.flush();
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        tracker.startRun('p', 'during'); // the plan's row, then the run's
        tracker.endRun('p', 'during', 'ok');
        const error = await tracker.flush().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'VHB_E_TRACKER', message: expect.stringMatching(/3 changes not written/) });
        expect((error as Error).message).not.toContain(server.password);

        await admin.query(`CREATE DATABASE ${name}`);
        await (await trackerFor(url)).close(); // the tables again
        await tracker.close();
        expect((await readTracker(url, 'p'))?.runs.map((r) => [r.run, r.status])).toEqual([['during', 'ok']]);
      } finally {
        await admin.end();
      }
    });
  });
});
