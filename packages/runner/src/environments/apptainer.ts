import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VhbError, z } from '@vhb/sdk';
import { maskSecrets, SECRET_ENV_VARS } from '@vhb/storage';
import { type ApptainerBinary, findApptainer } from './apptainer-binary.js';
import { runProcess } from './apptainer-process.js';
import { ensureSif } from './apptainer-sif.js';
import type { EnvManager, Mount, RunRequest, RunResult, SetupRequest, SetupResult } from './contract.js';

/** Where the plugin folder appears inside the container. */
export const APPTAINER_PLUGIN_DIR = '/vhb/plugins';

export const apptainerOptionsSchema = z
  .object({
    /** `node:20`, `docker://…`, `docker-daemon://…` (an image of the local Docker engine), or a `.sif` file used as it is. */
    image: z.string().min(1),
    /** Where built SIFs are kept and reused (default `~/.cache/vhb/apptainer`). */
    cacheDir: z.string().min(1).optional(),
    /** The program: a path, or a name on PATH (default: `apptainer`, else `singularity`). */
    binary: z.string().min(1).optional(),
    /** Give the container the host's NVIDIA GPUs (`--nv`). */
    gpus: z.boolean().default(false),
    /** Where the plugin folder is made (default: the OS temp folder). */
    workDir: z.string().min(1).optional(),
    /** How long a setup waits for another process building the same SIF (default 1 h). */
    lockTimeoutMs: z.number().int().positive().default(3_600_000),
  })
  .strict();

export type ApptainerOptions = z.input<typeof apptainerOptionsSchema> & {
  /** The host environment the program runs with and PATH is searched in (default `process.env`). */
  env?: NodeJS.ProcessEnv;
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function optionsError(message: string, hint: string): VhbError {
  return new VhbError('VHB_E_APPTAINER_OPTIONS', message, { hint });
}

/** `src:dst[:ro]`; Apptainer splits bind specs on `:` and `,`, so paths holding them cannot be bound. */
export function bindSpec(mount: Mount): string {
  const source = resolve(mount.source);
  const target = mount.target ?? source;
  for (const path of [source, target])
    if (/[:,]/.test(path))
      throw optionsError(
        `cannot bind ${JSON.stringify(path)}: Apptainer bind paths may not contain ":" or ","`,
        'rename the folder or bind a parent',
      );
  return `${source}:${target}${mount.readOnly ? ':ro' : ''}`;
}

/**
 * Runs stages in an Apptainer / Singularity container made from a Docker image, through the CLI.
 * The image is converted to a SIF once and cached; plugins are installed with npm inside the
 * container into a host folder bound at `/vhb/plugins`; each command runs with `apptainer exec`.
 */
export class ApptainerEnvManager implements EnvManager {
  readonly kind = 'apptainer' as const;
  private readonly options: z.output<typeof apptainerOptionsSchema>;
  private readonly env: NodeJS.ProcessEnv;
  private readonly hostSecrets: string[];
  private binary?: Promise<ApptainerBinary>;
  private pluginHostDir?: string;

  constructor(options: ApptainerOptions) {
    const { env, ...rest } = options;
    const parsed = apptainerOptionsSchema.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw optionsError(
        `invalid apptainer options: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        'see "Environments: apptainer and runpod" in the @vhb/runner README',
      );
    }
    this.options = parsed.data;
    this.env = env ?? process.env;
    // Storage credentials of the host may show up in what a build or a pull prints.
    this.hostSecrets = SECRET_ENV_VARS.map((name) => this.env[name]).filter((value): value is string => !!value);
  }

  /** The host folder holding the installed plugins (bound at `/vhb/plugins`); undefined before setup. */
  get pluginHostPath(): string | undefined {
    return this.pluginHostDir;
  }

  private program(): Promise<ApptainerBinary> {
    if (!this.binary) {
      const found = findApptainer(this.options.binary, this.env);
      // A failed lookup is not remembered: installing Apptainer and retrying works.
      found.catch(() => {
        if (this.binary === found) this.binary = undefined;
      });
      this.binary = found;
    }
    return this.binary;
  }

  private sif(binary: ApptainerBinary, signal: AbortSignal | undefined, onLine: SetupRequest['onLog']): Promise<string> {
    return ensureSif({
      binary,
      image: this.options.image,
      cacheDir: this.options.cacheDir ?? join(homedir(), '.cache', 'vhb', 'apptainer'),
      env: this.hostEnv(binary),
      lockTimeoutMs: this.options.lockTimeoutMs,
      signal,
      onLine,
      mask: (text) => maskSecrets(text, this.hostSecrets),
    });
  }

  /** The host environment without container variables of its own: only the ones a request sets reach the container. */
  private hostEnv(binary: ApptainerBinary, containerEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(this.env))
      if (!name.startsWith('APPTAINERENV_') && !name.startsWith('SINGULARITYENV_')) env[name] = value;
    for (const [name, value] of Object.entries(containerEnv)) {
      if (!ENV_NAME.test(name))
        throw optionsError(`environment variable name ${JSON.stringify(name)} is not valid`, 'use letters, digits and _ only');
      // Through the program's environment, not --env: values never appear on a command line (ps, logs).
      env[`${binary.envPrefix}${name}`] = value;
    }
    return env;
  }

  async setup(request: SetupRequest): Promise<SetupResult> {
    const binary = await this.program();
    const sif = await this.sif(binary, request.signal, request.onLog);
    if (!this.pluginHostDir) {
      this.pluginHostDir = await mkdtemp(join(this.options.workDir ?? tmpdir(), 'vhb-apptainer-'));
      // npm installs into the folder that holds a package.json, not into a parent it finds.
      await writeFile(join(this.pluginHostDir, 'package.json'), '{ "private": true }\n');
    }
    if (request.packages.length === 0) return { pluginDir: APPTAINER_PLUGIN_DIR };
    // Inside the container, so packages with native parts are built for its system and Node.
    const args = [
      'exec',
      '--cleanenv',
      '--bind',
      `${this.pluginHostDir}:${APPTAINER_PLUGIN_DIR}`,
      '--pwd',
      APPTAINER_PLUGIN_DIR,
      sif,
      'npm',
      'install',
      '--prefix',
      APPTAINER_PLUGIN_DIR,
      '--no-audit',
      '--no-fund',
      ...(request.registry ? ['--registry', request.registry] : []),
      ...request.packages,
    ];
    const { exitCode, stderrTail } = await runProcess(binary.path, args, {
      env: this.hostEnv(binary),
      signal: request.signal,
      onLine: request.onLog,
      mask: (text) => maskSecrets(text, this.hostSecrets),
    });
    if (exitCode !== 0)
      throw new VhbError(
        'VHB_E_APPTAINER_INSTALL',
        `npm install of ${request.packages.join(', ')} in ${this.options.image} exited with code ${exitCode}${stderrTail.length ? `: ${stderrTail.slice(-5).join(' | ')}` : ''}`,
        { hint: 'check that the image has npm and that the registry is reachable from the host network' },
      );
    return { pluginDir: APPTAINER_PLUGIN_DIR };
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (request.command.length === 0) throw optionsError('the command to run is empty', 'give the program and its arguments');
    const binds = [
      ...(this.pluginHostDir ? [`${this.pluginHostDir}:${APPTAINER_PLUGIN_DIR}:ro`] : []),
      ...(request.mounts ?? []).map(bindSpec),
    ];
    const binary = await this.program();
    const sif = await this.sif(binary, request.signal, request.onLog);
    const secrets = [...this.hostSecrets, ...Object.values(request.env ?? {})];
    const args = [
      'exec',
      ...(this.options.gpus ? ['--nv'] : []),
      '--cleanenv',
      ...binds.flatMap((spec) => ['--bind', spec]),
      ...(request.cwd ? ['--pwd', request.cwd] : []),
      sif,
      ...request.command,
    ];
    const { exitCode } = await runProcess(binary.path, args, {
      env: this.hostEnv(binary, request.env),
      signal: request.signal,
      onLine: request.onLog,
      mask: (text) => maskSecrets(text, secrets),
    });
    return { exitCode };
  }

  /** Removes the plugin folder; the SIF cache stays (that is its point). */
  async cleanup(): Promise<void> {
    const dir = this.pluginHostDir;
    this.pluginHostDir = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
