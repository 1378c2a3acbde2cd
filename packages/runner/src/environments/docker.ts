import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { dockerode } from '../lazy-modules.js';
import type { EnvManager, Mount, RunRequest, RunResult, SetupRequest, SetupResult } from './contract.js';
import { type ContainerSpec, containerCreateOptions, type DockerNetwork, describeContainer } from './docker-options.js';
import { environmentError } from './environment-errors.js';
import { forEachLine } from './lines.js';
import { secretMasker } from './mask.js';
import { npmInstall, PLUGIN_FOLDER_MANIFEST } from './npm-install.js';

export interface DockerEnvOptions {
  /** Image every container starts from; it must hold `node` and `npm`. Pulled when the docker host lacks it. */
  image: string;
  /** The engine to talk to; default: `dockerFromEnv(process.env)`. */
  docker?: Dockerode;
  /** NVIDIA GPUs for the command's container: a count, or `all`. */
  gpus?: number | 'all';
  /** Host folders every command's container sees, beside those of the request. */
  mounts?: Mount[];
  /** The containers' network (default `host`). The install container uses `host` when this is `none`: npm needs the registry. */
  network?: DockerNetwork;
  /** `uid:gid` inside the containers; default this process's, so the results stay the user's files. */
  user?: string;
  /** Where the plugin folder appears inside the containers (default `/vhb/plugins`). */
  pluginDir?: string;
  /** Host folder the plugin folder is made in (default: the system's temporary folder). */
  workDir?: string;
}

/** Environment of every container: a writable HOME for npm and node, whatever user the container runs as. */
const BASE_ENV = { HOME: '/tmp' };

interface ContainerRun {
  command: string[];
  cwd?: string | undefined;
  /** Variables the command gets; their values are masked in every line. */
  secrets?: Record<string, string> | undefined;
  env?: Record<string, string>;
  mounts: Mount[];
  network: DockerNetwork;
  gpus?: number | 'all' | undefined;
  signal?: AbortSignal | undefined;
  onLog?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

/** A docker client for `DOCKER_HOST` in `env` (`unix:///path`, `tcp://host:port`); docker's own default without it. */
export function dockerFromEnv(env: Record<string, string | undefined>): Dockerode {
  const host = env.DOCKER_HOST?.trim();
  if (!host) return new (dockerode())();
  if (host.startsWith('unix://')) return new (dockerode())({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new (dockerode())({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
}

/**
 * Runs in docker containers. `setup` makes a plugin folder on the host and installs the packages
 * into it with npm inside a container (from the registry given, over the host network); `run`
 * starts a container from the image with that folder mounted read-only at `pluginDir`, the
 * request's folders mounted, and GPUs when asked, streams its output line by line (secrets
 * masked), and removes it when it ends, fails or is interrupted. `cleanup` removes what is left.
 */
export class DockerEnvManager implements EnvManager {
  readonly kind = 'docker' as const;
  private readonly docker: Dockerode;
  private readonly pluginDir: string;
  private readonly containers = new Set<Dockerode.Container>();
  private readonly folders: string[] = [];
  private pluginFolder: string | undefined;
  private imageReady = false;

  constructor(private readonly options: DockerEnvOptions) {
    this.docker = options.docker ?? dockerFromEnv(process.env);
    this.pluginDir = options.pluginDir ?? '/vhb/plugins';
  }

  async setup(request: SetupRequest): Promise<SetupResult> {
    const folder = await mkdtemp(join(this.options.workDir ?? tmpdir(), 'vhb-env-docker-'));
    this.folders.push(folder);
    this.pluginFolder = folder;
    await writeFile(join(folder, 'package.json'), PLUGIN_FOLDER_MANIFEST);
    if (request.packages.length === 0) return { pluginDir: this.pluginDir };
    const network = this.network();
    await npmInstall(
      request,
      ` in image ${this.options.image}`,
      'that the container reaches it, and that the image has npm',
      (command, onLog) =>
        this.runContainer({
          command,
          cwd: this.pluginDir,
          env: { npm_config_cache: `${this.pluginDir}/.npm-cache` },
          mounts: [{ source: folder, target: this.pluginDir }],
          network: network === 'none' ? 'host' : network,
          signal: request.signal,
          onLog,
        }),
    );
    return { pluginDir: this.pluginDir };
  }

  async run(request: RunRequest): Promise<RunResult> {
    const plugins: Mount[] = this.pluginFolder ? [{ source: this.pluginFolder, target: this.pluginDir, readOnly: true }] : [];
    const exitCode = await this.runContainer({
      command: request.command,
      cwd: request.cwd,
      secrets: request.env,
      mounts: [...(this.options.mounts ?? []), ...(request.mounts ?? []), ...plugins],
      network: this.network(),
      gpus: this.options.gpus,
      signal: request.signal,
      onLog: request.onLog,
    });
    return { exitCode };
  }

  async cleanup(): Promise<void> {
    const containers = [...this.containers];
    this.containers.clear();
    await Promise.all(containers.map((container) => container.remove({ force: true }).catch(() => {})));
    const folders = this.folders.splice(0);
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
    this.pluginFolder = undefined;
  }

  private network(): DockerNetwork {
    return this.options.network ?? 'host';
  }

  private user(): string | undefined {
    if (this.options.user) return this.options.user;
    return process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
  }

  /** Creates, runs and removes one container; resolves with its exit code. */
  private async runContainer(run: ContainerRun): Promise<number> {
    const { signal } = run;
    if (signal?.aborted) throw aborted(run.command);
    await this.ensureImage(run.onLog);
    const user = this.user();
    const spec: ContainerSpec = {
      image: this.options.image,
      command: run.command,
      env: { ...BASE_ENV, ...run.env, ...run.secrets },
      mounts: run.mounts,
      network: run.network,
      ...(run.cwd ? { cwd: run.cwd } : {}),
      ...(run.gpus === undefined ? {} : { gpus: run.gpus }),
      ...(user ? { user } : {}),
    };
    const mask = secretMasker(Object.values(run.secrets ?? {}));
    run.onLog?.(mask(describeContainer(spec)), 'stderr');
    const container = await dockerCall(
      () => this.docker.createContainer(containerCreateOptions(spec)),
      `create a container from ${spec.image}`,
    );
    this.containers.add(container);
    const kill = () => void container.kill().catch(() => {});
    signal?.addEventListener('abort', kill, { once: true });
    try {
      const stream = await dockerCall(() => container.attach({ stream: true, stdout: true, stderr: true }), 'attach to the container');
      const out = new PassThrough();
      const err = new PassThrough();
      const reading = Promise.all([
        forEachLine(out, (line) => run.onLog?.(mask(line), 'stdout')),
        forEachLine(err, (line) => run.onLog?.(mask(line), 'stderr')),
      ]);
      this.docker.modem.demuxStream(stream, out, err);
      stream.once('end', () => {
        out.end();
        err.end();
      });
      if (signal?.aborted) throw aborted(run.command);
      await dockerCall(() => container.start(), `start ${spec.command.join(' ')} in ${spec.image}`);
      // An abort that came between the check above and the start found nothing to kill.
      if (signal?.aborted) kill();
      const { StatusCode } = (await dockerCall(() => container.wait(), 'wait for the container')) as { StatusCode: number };
      // The output stream ends with the container; don't hang on an engine that keeps it open.
      await Promise.race([reading, delay(5000)]);
      out.end();
      err.end();
      if (signal?.aborted) throw aborted(run.command);
      return StatusCode;
    } finally {
      signal?.removeEventListener('abort', kill);
      await container.remove({ force: true }).catch(() => {});
      this.containers.delete(container);
    }
  }

  /** Makes sure the image is on the docker host, pulling it once when it is not. */
  private async ensureImage(onLog: ContainerRun['onLog']): Promise<void> {
    if (this.imageReady) return;
    const { image } = this.options;
    try {
      await this.docker.getImage(image).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw dockerError(error, `inspect image ${image}`);
      onLog?.(`pulling ${image}`, 'stderr');
      try {
        const stream = await this.docker.pull(image);
        await new Promise<void>((resolve, reject) => {
          this.docker.modem.followProgress(stream, (failure: Error | null) => (failure ? reject(failure) : resolve()));
        });
      } catch (pullError) {
        throw environmentError(
          'VHB_E_ENV_IMAGE',
          `image ${image} is not on the docker host and cannot be pulled: ${messageOf(pullError)}`,
          'check the image name in the model entry (environment.image or image), or load the image into docker first (docker load / docker import)',
          pullError,
        );
      }
    }
    this.imageReady = true;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function messageOf(error: unknown): string {
  const json = (error as { json?: { message?: string } }).json;
  return (json?.message ?? (error as Error)?.message ?? String(error)).trim();
}

async function dockerCall<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw dockerError(error, what);
  }
}

/** A docker failure as a VhbError: the engine unreachable, a bind source missing, or the engine's own words. */
function dockerError(error: unknown, what: string) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ENOTFOUND') {
    return environmentError(
      'VHB_E_ENV_DOCKER',
      `cannot reach the docker engine to ${what}: ${messageOf(error)}`,
      'start dockerd (and check this user may use its socket), or point DOCKER_HOST at it',
      error,
    );
  }
  const message = messageOf(error);
  if (/bind source path does not exist|invalid mount config/i.test(message)) {
    return environmentError(
      'VHB_E_ENV_MOUNT',
      `docker cannot ${what}: ${message}`,
      'create the folder, or fix the mount in the model entry',
      error,
    );
  }
  return environmentError(
    'VHB_E_ENV_DOCKER',
    `docker cannot ${what}: ${message}`,
    "read docker's message above; `docker info` shows the engine's state",
    error,
  );
}

function aborted(command: string[]) {
  return environmentError(
    'VHB_E_ENV_ABORTED',
    `${command.join(' ')} was interrupted; its container was removed`,
    'run it again: a run keeps every answered item',
  );
}
