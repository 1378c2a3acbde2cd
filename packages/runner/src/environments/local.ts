import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EnvManager, RunRequest, RunResult, SetupRequest, SetupResult } from './contract.js';
import { environmentError } from './environment-errors.js';
import { forEachLine } from './lines.js';
import { secretMasker } from './mask.js';
import { npmInstall, PLUGIN_FOLDER_MANIFEST } from './npm-install.js';

export interface LocalEnvOptions {
  /** Folder the plugin folders are made in; default: the system's temporary folder. */
  workDir?: string;
  /** The environment every command starts from (default: this process's); a request's `env` is laid over it. */
  baseEnv?: Record<string, string | undefined>;
  /** How long an interrupted command gets between SIGTERM and SIGKILL, in ms (default 5000). */
  killGraceMs?: number;
}

interface SpawnRequest extends Omit<RunRequest, 'mounts'> {
  mask: (text: string) => string;
}

/**
 * Runs on this machine, in child processes: `setup` installs the packages with npm into a
 * temporary folder, `run` spawns the command (no shell) and streams its lines. Mounts need
 * nothing here — the command sees the host's folders — but cannot move a folder to another path.
 */
export class LocalEnvManager implements EnvManager {
  readonly kind = 'local' as const;
  private readonly folders: string[] = [];
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly options: LocalEnvOptions = {}) {}

  async setup(request: SetupRequest): Promise<SetupResult> {
    const pluginDir = await mkdtemp(join(this.options.workDir ?? tmpdir(), 'vhb-env-local-'));
    this.folders.push(pluginDir);
    await writeFile(join(pluginDir, 'package.json'), PLUGIN_FOLDER_MANIFEST);
    if (request.packages.length === 0) return { pluginDir };
    await npmInstall(request, '', 'and that the registry is reachable', (command, onLog) =>
      this.spawn({ command, cwd: pluginDir, signal: request.signal, mask: secretMasker([]), onLog }),
    );
    return { pluginDir };
  }

  async run(request: RunRequest): Promise<RunResult> {
    for (const mount of request.mounts ?? []) {
      if (mount.target !== undefined && resolve(mount.target) !== resolve(mount.source)) {
        throw environmentError(
          'VHB_E_ENV_MOUNT',
          `the local environment cannot show ${mount.source} at ${mount.target}`,
          'a command on this machine sees every folder at its own path: drop the mount target',
        );
      }
    }
    const env = request.env ?? {};
    return { exitCode: await this.spawn({ ...request, mask: secretMasker(Object.values(env)) }) };
  }

  async cleanup(): Promise<void> {
    for (const child of this.running) child.kill('SIGKILL');
    const folders = this.folders.splice(0);
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  }

  /** Spawns the command and resolves with its exit code (128 + signal number when a signal ended it). */
  private spawn(request: SpawnRequest): Promise<number> {
    const [file, ...args] = request.command;
    if (!file) throw environmentError('VHB_E_ENV_RUN', 'the command is empty', 'give the program to run and its arguments');
    if (request.signal?.aborted) return Promise.reject(aborted(file));
    const child = spawn(file, args, {
      cwd: request.cwd,
      env: { ...(this.options.baseEnv ?? process.env), ...request.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.running.add(child);
    const reading = (['stdout', 'stderr'] as const).map((stream) =>
      forEachLine(child[stream], (line) => request.onLog?.(request.mask(line), stream)),
    );
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs ?? 5000);
    };
    request.signal?.addEventListener('abort', stop, { once: true });
    return new Promise<number>((resolvePromise, reject) => {
      child.once('error', (error) => {
        reject(
          environmentError(
            'VHB_E_ENV_RUN',
            `cannot start ${file}: ${error.message}`,
            'check that the program is installed and on the PATH',
            error,
          ),
        );
      });
      child.once('close', (code, signal) => {
        void Promise.all(reading).then(() => {
          if (request.signal?.aborted) reject(aborted(file));
          else resolvePromise(code ?? 128 + (signal ? constants.signals[signal] : 0));
        });
      });
    }).finally(() => {
      clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', stop);
      this.running.delete(child);
    });
  }
}

function aborted(what: string) {
  return environmentError('VHB_E_ENV_ABORTED', `${what} was interrupted`, 'run it again: a run keeps every answered item');
}
