/**
 * Where the work of a stage runs. One contract for every kind: install the plugin packages the
 * stage needs, run a command with the folders it reads and writes mounted, clean up. `local` runs
 * child processes on this machine; `docker`, `apptainer` and `runpod` run elsewhere.
 */
export type EnvironmentKind = 'local' | 'docker' | 'apptainer' | 'runpod';

/** A host folder made visible to the command (at `target`; the same path when omitted). */
export interface Mount {
  source: string;
  target?: string;
  readOnly?: boolean;
}

export interface SetupRequest {
  /** npm specs of the plugin packages the stage imports (`@vhb/task-vqa@0.3.1`). */
  packages: string[];
  /** The npm registry to install them from (`http://127.0.0.1:4873/`); default: npm's own. */
  registry?: string;
  signal?: AbortSignal;
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface SetupResult {
  /** The folder the packages were installed into, as the command sees it (holds `node_modules`). */
  pluginDir: string;
}

export interface RunRequest {
  /** Program and arguments (no shell). */
  command: string[];
  cwd?: string;
  /** Environment of the command; values are secrets unless told otherwise, and are masked in logs. */
  env?: Record<string, string>;
  mounts?: Mount[];
  signal?: AbortSignal;
  /** Each line the command prints, as it prints it. */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  exitCode: number;
}

export interface EnvManager {
  readonly kind: EnvironmentKind;
  /** Installs the packages where the command will run; called once before `run`. */
  setup(request: SetupRequest): Promise<SetupResult>;
  /** Runs the command to its end; a non-zero exit is a result, not an exception. */
  run(request: RunRequest): Promise<RunResult>;
  /** Removes what setup and run made (containers, pods, temporary folders); safe to call twice. */
  cleanup(): Promise<void>;
}
