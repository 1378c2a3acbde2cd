import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { npmrcFor, verdaccioConfig } from './config.js';
import { findFreePort } from './free-port.js';

const execFileAsync = promisify(execFile);

export interface StartVerdaccioOptions {
  /** Folder for published packages; kept on stop. Default: a temp folder removed on stop. */
  storageDir?: string;
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** How long to wait for the server to answer, in ms. Default 30 000. */
  readyTimeoutMs?: number;
}

/** A running verdaccio and what a client needs to use it. */
export interface LocalRegistry {
  /** Base URL, without a trailing slash: `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Auth token of the user created at start; publish rights. */
  token: string;
  /** Path of an npmrc with `registry=` and the `_authToken` for this registry. */
  npmrc: string;
  storageDir: string;
  /** Publishes a tarball (from `npm pack` / `pnpm pack`) with the npmrc above. */
  publish(tarball: string): Promise<void>;
  /** Stops the server and removes the temp folder; safe to call twice. */
  stop(): Promise<void>;
}

const USER = { name: 'vhb', password: 'vhb-local-registry' };

function verdaccioBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
}

/**
 * Starts verdaccio as a child process (not in-process: its logger and timers would outlive a
 * test, and a child can always be killed), offline, with htpasswd auth and one user.
 */
export async function startVerdaccio(options: StartVerdaccioOptions = {}): Promise<LocalRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'vhb-verdaccio-'));
  const storageDir = options.storageDir ?? join(root, 'storage');
  await mkdir(storageDir, { recursive: true });
  const configFile = join(root, 'config.yaml');
  await writeFile(configFile, verdaccioConfig({ storageDir, htpasswdFile: join(root, 'htpasswd') }));

  // A port found free can be taken before verdaccio binds it; try a few when we picked it.
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    const server = launch(configFile, port);
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntilReady(url, server, options.readyTimeoutMs ?? 30_000);
      const token = await createUser(url);
      const npmrc = join(root, '.npmrc');
      await writeFile(npmrc, npmrcFor(url, port, token));
      return {
        url,
        port,
        token,
        npmrc,
        storageDir,
        publish: (tarball) => publish(tarball, url, npmrc, token),
        stop: async () => {
          await server.stop();
          await rm(root, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      await server.stop();
    }
  }
  await rm(root, { recursive: true, force: true });
  throw lastError;
}

interface Launched {
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function launch(configFile: string, port: number): Launched {
  const child = spawn(process.execPath, [verdaccioBin(), '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  // If the test process dies without calling stop(), do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    output: () => output,
    exited,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilReady(url: string, server: Launched, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`verdaccio exited (code ${exitCode}) before answering on ${url}:\n${server.output()}`);
    }
    try {
      const response = await fetch(`${url}/-/ping`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs} ms:\n${server.output()}`);
}

async function createUser(url: string): Promise<string> {
  const response = await fetch(`${url}/-/user/org.couchdb.user:${USER.name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(USER),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token)
    throw new Error(`verdaccio refused to create user "${USER.name}": ${response.status} ${body.error ?? ''}`);
  return body.token;
}

async function publish(tarball: string, url: string, npmrc: string, token: string): Promise<void> {
  try {
    await execFileAsync('npm', ['publish', tarball, '--registry', `${url}/`, '--userconfig', npmrc, '--ignore-scripts'], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').replaceAll(token, '***');
    throw new Error(`npm publish ${tarball} to ${url} failed:\n${stderr}`, { cause: error });
  }
}
