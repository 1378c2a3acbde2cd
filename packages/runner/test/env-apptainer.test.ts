import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApptainerEnvManager } from '../src/environments/apptainer.js';

// Apptainer cannot run here (no setuid, no user namespaces for it): these tests check what the
// manager asks of it. The fake records every call (argv and the container variables it was given)
// and behaves like the CLI where it matters: `build` writes the SIF at the path given, `exec`
// runs the command (on the host) with the APPTAINERENV_/SINGULARITYENV_ variables unprefixed.
const FAKE = `#!/usr/bin/env node
const { appendFileSync, existsSync, writeFileSync } = require('node:fs');
const { basename } = require('node:path');
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(APPTAINERENV|SINGULARITYENV)_/.test(k)));
appendFileSync(process.env.FAKE_LOG, JSON.stringify({ program: basename(process.argv[1]), args, env }) + '\\n');
if (args[0] === 'build') {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.FAKE_BUILD_MS || 0));
  if (process.env.FAKE_BUILD_FAIL) {
    console.error('FATAL: While making image from oci registry: pulling with key ' + process.env.AWS_SECRET_ACCESS_KEY + ' failed');
    process.exit(255);
  }
  writeFileSync(args[1], 'SIF');
  console.log('INFO:    Creating SIF file...');
  process.exit(0);
}
let i = 1;
let pwd;
while (i < args.length && args[i].startsWith('-')) {
  if (args[i] === '--pwd') pwd = args[i + 1];
  i += args[i] === '--bind' || args[i] === '--pwd' ? 2 : 1;
}
if (!existsSync(args[i])) { console.error('FATAL: could not open image ' + args[i]); process.exit(255); }
const command = args.slice(i + 1);
if (command[0] === 'npm') { console.log('added 2 packages'); process.exit(Number(process.env.FAKE_NPM_EXIT || 0)); }
const inner = { PATH: process.env.PATH };
for (const [k, v] of Object.entries(env)) inner[k.replace(/^(APPTAINERENV|SINGULARITYENV)_/, '')] = v;
const r = spawnSync(command[0], command.slice(1), { cwd: pwd, env: inner, stdio: 'inherit' });
process.exit(r.status ?? 1);
`;

interface Call {
  program: string;
  args: string[];
  env: Record<string, string>;
}

let root: string;
let bin: string;
let log: string;
let cacheDir: string;

async function calls(): Promise<Call[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
}

function hostEnv(extra: Record<string, string> = {}, path = `${bin}:${process.env.PATH}`): NodeJS.ProcessEnv {
  return { ...process.env, PATH: path, FAKE_LOG: log, ...extra };
}

/** The SIF path the manager must use, derived here independently: `<safe-name>-<sha256(uri)[0..12]>.sif`. */
function expectedSif(name: string, uri: string): string {
  return join(cacheDir, `${name}-${createHash('sha256').update(uri).digest('hex').slice(0, 12)}.sif`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vhb-env-apptainer-'));
  bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'apptainer'), FAKE);
  await chmod(join(bin, 'apptainer'), 0o755);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  log = join(root, `calls-${Math.random().toString(36).slice(2)}.jsonl`);
  cacheDir = await mkdtemp(join(root, 'cache-'));
});

describe('apptainer: finding the program', () => {
  it('fails clearly when neither apptainer nor singularity is on PATH', async () => {
    const empty = await mkdtemp(join(root, 'empty-'));
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv({}, empty) });
    await expect(env.setup({ packages: [] })).rejects.toMatchObject({
      code: 'VHB_E_APPTAINER_NOT_FOUND',
      message: expect.stringContaining(empty),
      hint: expect.stringContaining('binary'),
    });
  });

  it('falls back to singularity, whose container variables are SINGULARITYENV_*', async () => {
    const only = await mkdtemp(join(root, 'singularity-'));
    await copyFile(join(bin, 'apptainer'), join(only, 'singularity'));
    await chmod(join(only, 'singularity'), 0o755);
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv({}, `${only}:${process.env.PATH}`) });
    await env.setup({ packages: [] });
    const result = await env.run({ command: ['sh', '-c', 'exit 0'], env: { API_TOKEN: 'tok-abcdef' } });
    expect(result.exitCode).toBe(0);
    const [build, exec] = await calls();
    expect(build?.program).toBe('singularity');
    expect(exec?.env).toEqual({ SINGULARITYENV_API_TOKEN: 'tok-abcdef' });
    await env.cleanup();
  });

  it('uses the configured binary', async () => {
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, binary: join(root, 'nowhere', 'apptainer'), env: hostEnv() });
    await expect(env.setup({ packages: [] })).rejects.toMatchObject({ code: 'VHB_E_APPTAINER_NOT_FOUND' });
  });
});

describe('apptainer: the SIF', () => {
  it('is built once from docker://, then reused by the next manager', async () => {
    const sif = expectedSif('node-20-slim', 'docker://node:20-slim');
    const first = new ApptainerEnvManager({ image: 'node:20-slim', cacheDir, env: hostEnv() });
    const lines: string[] = [];
    await first.setup({ packages: [], onLog: (line) => lines.push(line) });
    expect(await calls()).toEqual([
      { program: 'apptainer', args: ['build', `${sif}.${process.pid}.tmp`, 'docker://node:20-slim'], env: {} },
    ]);
    expect(lines).toContain('INFO:    Creating SIF file...');
    expect((await stat(sif)).isFile()).toBe(true);
    await first.cleanup();

    const second = new ApptainerEnvManager({ image: 'node:20-slim', cacheDir, env: hostEnv() });
    await second.setup({ packages: [] });
    await second.run({ command: ['true'] });
    const all = await calls();
    expect(all.filter((c) => c.args[0] === 'build')).toHaveLength(1);
    expect(all.at(-1)?.args).toEqual(['exec', '--cleanenv', '--bind', `${second.pluginHostPath}:/vhb/plugins:ro`, sif, 'true']);
    await second.cleanup();
  });

  it('keeps docker-daemon:// images apart from registry ones', async () => {
    const env = new ApptainerEnvManager({ image: 'docker-daemon://vhb/task:dev', cacheDir, env: hostEnv() });
    await env.setup({ packages: [] });
    const sif = expectedSif('vhb-task-dev', 'docker-daemon://vhb/task:dev');
    expect((await calls())[0]?.args).toEqual(['build', `${sif}.${process.pid}.tmp`, 'docker-daemon://vhb/task:dev']);
    await env.cleanup();
  });

  it('two setups at once build it once', async () => {
    const a = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv({ FAKE_BUILD_MS: '300' }) });
    const b = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv({ FAKE_BUILD_MS: '300' }) });
    await Promise.all([a.setup({ packages: [] }), b.setup({ packages: [] })]);
    expect((await calls()).filter((c) => c.args[0] === 'build')).toHaveLength(1);
    await Promise.all([a.cleanup(), b.cleanup()]);
  });

  it('waits for a build another process holds the lock of, and does not build again', async () => {
    const sif = expectedSif('node-20', 'docker://node:20');
    // This test's own process is alive: the lock is not stale.
    await writeFile(`${sif}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv() });
    const setup = env.setup({ packages: [] });
    await new Promise((r) => setTimeout(r, 400));
    await writeFile(sif, 'SIF built elsewhere');
    await rm(`${sif}.lock`);
    await setup;
    expect(await calls()).toEqual([]);
    await env.cleanup();
  });

  it('takes over the lock of a dead process', async () => {
    const sif = expectedSif('node-20', 'docker://node:20');
    await writeFile(`${sif}.lock`, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv() });
    await env.setup({ packages: [] });
    expect((await calls()).map((c) => c.args[0])).toEqual(['build']);
    await expect(stat(`${sif}.lock`)).rejects.toThrow();
    await env.cleanup();
  });

  it('a failed build is a VhbError with its stderr masked, leaves nothing cached and can be retried', async () => {
    const sif = expectedSif('node-20', 'docker://node:20');
    const env = new ApptainerEnvManager({
      image: 'node:20',
      cacheDir,
      env: hostEnv({ FAKE_BUILD_FAIL: '1', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY' }),
    });
    const error = await env.setup({ packages: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VHB_E_APPTAINER_BUILD', message: expect.stringContaining('exited with code 255') });
    expect((error as Error).message).toContain('pulling with key *** failed');
    expect((error as Error).message).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    await expect(stat(sif)).rejects.toThrow();
    await expect(stat(`${sif}.${process.pid}.tmp`)).rejects.toThrow();
    await expect(stat(`${sif}.lock`)).rejects.toThrow();

    const again = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv() });
    await again.setup({ packages: [] });
    expect((await calls()).map((c) => c.args[0])).toEqual(['build', 'build']);
    await again.cleanup();
  });

  it('uses a .sif file as it is', async () => {
    const sif = join(root, 'given.sif');
    await writeFile(sif, 'SIF');
    const env = new ApptainerEnvManager({ image: sif, cacheDir, env: hostEnv() });
    await env.setup({ packages: [] });
    await env.run({ command: ['true'] });
    expect((await calls()).map((c) => c.args.at(-2))).toEqual([sif]);
    await env.cleanup();
  });
});

describe('apptainer: setup and run', () => {
  it('installs the plugins with npm inside the container, into the host folder bound at /vhb/plugins', async () => {
    const sif = expectedSif('node-20', 'docker://node:20');
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv() });
    const result = await env.setup({ packages: ['@vhb/task-vqa@0.3.1', '@vhb/metric-cer@^0.1.0'], registry: 'http://127.0.0.1:4873/' });
    expect(result).toEqual({ pluginDir: '/vhb/plugins' });
    const plugins = env.pluginHostPath!;
    expect(JSON.parse(await readFile(join(plugins, 'package.json'), 'utf8'))).toEqual({ private: true });
    expect((await calls())[1]).toEqual({
      program: 'apptainer',
      args: [
        'exec',
        '--cleanenv',
        '--bind',
        `${plugins}:/vhb/plugins`,
        '--pwd',
        '/vhb/plugins',
        sif,
        'npm',
        'install',
        '--prefix',
        '/vhb/plugins',
        '--no-audit',
        '--no-fund',
        '--registry',
        'http://127.0.0.1:4873/',
        '@vhb/task-vqa@0.3.1',
        '@vhb/metric-cer@^0.1.0',
      ],
      env: {},
    });
    await env.cleanup();
    await expect(stat(plugins)).rejects.toThrow();
    await env.cleanup(); // twice is fine
  });

  it('a failed npm install is VHB_E_APPTAINER_INSTALL', async () => {
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv({ FAKE_NPM_EXIT: '1' }) });
    await expect(env.setup({ packages: ['@vhb/task-vqa@9.9.9'] })).rejects.toMatchObject({
      code: 'VHB_E_APPTAINER_INSTALL',
      message: expect.stringContaining('@vhb/task-vqa@9.9.9'),
    });
    await env.cleanup();
  });

  it('runs exec with --nv, --cleanenv, binds, --pwd; env goes through APPTAINERENV_*, never argv, and is masked in logs', async () => {
    const sif = expectedSif('vhb-task-gpu-1', 'docker://vhb/task-gpu:1');
    const data = await mkdtemp(join(root, 'data-'));
    const results = await mkdtemp(join(root, 'results-'));
    const env = new ApptainerEnvManager({
      image: 'vhb/task-gpu:1',
      cacheDir,
      gpus: true,
      env: hostEnv({ APPTAINERENV_LEAKED_FROM_HOST: 'x', SINGULARITYENV_OLD: 'y' }),
    });
    await env.setup({ packages: [] });
    const lines: [string, string][] = [];
    const secret = 'sk-live-0123456789abcdef';
    const result = await env.run({
      command: ['sh', '-c', 'echo "token=$API_TOKEN mode=$MODE"; echo oops >&2; exit 3'],
      cwd: results,
      env: { API_TOKEN: secret, MODE: 'fast' },
      mounts: [{ source: data, target: '/data', readOnly: true }, { source: results }],
      onLog: (line, stream) => lines.push([line, stream]),
    });
    expect(result).toEqual({ exitCode: 3 });
    const exec = (await calls()).at(-1)!;
    expect(exec.args).toEqual([
      'exec',
      '--nv',
      '--cleanenv',
      '--bind',
      `${env.pluginHostPath}:/vhb/plugins:ro`,
      '--bind',
      `${data}:/data:ro`,
      '--bind',
      `${results}:${results}`,
      '--pwd',
      results,
      sif,
      'sh',
      '-c',
      'echo "token=$API_TOKEN mode=$MODE"; echo oops >&2; exit 3',
    ]);
    expect(exec.env).toEqual({ APPTAINERENV_API_TOKEN: secret, APPTAINERENV_MODE: 'fast' });
    expect(JSON.stringify(exec.args)).not.toContain(secret);
    // Every value is masked, MODE's too: the contract treats env values as secrets.
    expect(lines).toEqual([
      ['token=*** mode=***', 'stdout'],
      ['oops', 'stderr'],
    ]);
    await env.cleanup();
  });

  it('refuses bind paths Apptainer would split, and bad options', async () => {
    const env = new ApptainerEnvManager({ image: 'node:20', cacheDir, env: hostEnv() });
    await expect(env.run({ command: ['true'], mounts: [{ source: '/data/a:b' }] })).rejects.toMatchObject({
      code: 'VHB_E_APPTAINER_OPTIONS',
      message: expect.stringContaining('/data/a:b'),
    });
    await expect(env.run({ command: [] })).rejects.toMatchObject({ code: 'VHB_E_APPTAINER_OPTIONS' });
    expect(() => new ApptainerEnvManager({ image: '', cacheDir })).toThrow(expect.objectContaining({ code: 'VHB_E_APPTAINER_OPTIONS' }));
    await env.cleanup();
  });
});
