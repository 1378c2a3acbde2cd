import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What @vhb/runner's test helper offers (it is loaded by path: tsc keeps another package's files out of this one). */
interface PostgresServer {
  readonly password: string;
  readonly port: number;
  url(database: string, password?: string): string;
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}
const helper = join(import.meta.dirname, '../../runner/test/helpers/postgres-server.ts');
const { findPostgres, startPostgres } = (await import(helper)) as {
  findPostgres(): { bin: string } | { skip: string };
  startPostgres(bin: string): Promise<PostgresServer>;
};

const bin = join(import.meta.dirname, '../dist/bin.js');
const fixture = join(import.meta.dirname, 'fixtures', 'project');

/** The real `vhb` bin, as a user runs it. */
function vhb(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const { VHB_TRACKER_URL: _, RUN_MODE: __, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...inherited, NO_COLOR: '1', ...env } }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

const found = findPostgres();
let server: PostgresServer;
let project: string;

const suite = 'skip' in found ? describe.skip : describe;
describe('vhb run / vhb status with a PostgreSQL tracker', () => {
  suite('skip' in found ? `skipped: ${found.skip}` : 'against a real server', { timeout: 120_000 }, () => {
    beforeAll(async () => {
      expect(existsSync(bin), 'build vhb first (pnpm --filter vhb... build)').toBe(true);
      if ('bin' in found) server = await startPostgres(found.bin);
      project = await mkdtemp(join(tmpdir(), 'vhb-status-pg-'));
      await cp(fixture, project, { recursive: true });
      await writeFile(
        join(project, 'registries/models/echo-model.yaml'),
        `name: echo-model\nadapter: echo-adapter\noptions: { calls_file: ${JSON.stringify(join(project, 'calls.txt'))} }\n`,
      );
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      if (project) await rm(project, { recursive: true, force: true });
    });

    it('records the run in PostgreSQL and prints its runs, never the password', async () => {
      const url = await server.createDatabase();
      const masked = url.replace(`:${server.password}@`, ':***@');
      const run = await vhb(['--cwd', project, 'run', 'main', '--tracker', url]);
      expect(run.code, run.err).toBe(0);
      expect(existsSync(join(project, 'results/main/tracker.sqlite'))).toBe(false);

      const text = await vhb(['--cwd', project, 'status', 'main', '--tracker', url]);
      expect(text.code, text.err).toBe(0);
      expect(text.out).toContain(`plan main · 2 runs · tracker ${masked}`);
      expect(text.out).toMatch(/echo-words {2}last: ok\n {2}✔ prepare\s+done\n {2}✔ inference:echo-words\s+done \(3\/4, 1 failed\)/);
      expect(text.out).toContain('offline-words  last: skipped');
      expect(text.out).toContain('5 done, 0 partial, 0 running, 0 failed, 0 interrupted, 3 pending');

      // The same tracker through VHB_TRACKER_URL; without either, the plan's SQLite file, which this run did not write.
      const json = await vhb(['--cwd', project, 'status', 'main', '--json'], { VHB_TRACKER_URL: url });
      expect(json.code, json.err).toBe(0);
      const status = JSON.parse(json.out) as { tracker: string; runs: { run: string; last?: string }[] };
      expect(status.tracker).toBe(masked);
      expect(status.runs.map((r) => [r.run, r.last])).toEqual([
        ['echo-words', 'ok'],
        ['offline-words', 'skipped'],
      ]);
      expect((await vhb(['--cwd', project, 'status', 'main'])).out).toContain('no tracker yet');

      for (const output of [run, text, json]) expect(`${output.out}${output.err}`).not.toContain(server.password);
    });

    it('fails clearly with the password masked when the server refuses the login', async () => {
      const url = server.url('postgres', 'wrong-secret');
      for (const args of [['status'], ['run'], ['--debug', 'status']]) {
        const result = await vhb(['--cwd', project, ...args, 'main', '--tracker', url]);
        expect(result.code).toBe(1);
        expect(result.err).toContain(`✖ the PostgreSQL tracker at postgres://vhb:***@127.0.0.1:${server.port}/postgres cannot be used`);
        expect(result.err).toContain('check the URL');
        expect(result.err).toMatch(/password authentication failed/);
        expect(`${result.out}${result.err}`).not.toContain('wrong-secret');
      }
    });
  });
});
