import { join, resolve } from 'node:path';
import type { LoadedPlugin, Model, PluginHost, RegistryManager } from '@vhb/core';
import type { RunEvent } from '@vhb/sdk';
import type { PlannedRun } from '../plan.js';
import { ApptainerEnvManager } from './apptainer.js';
import type { EnvManager, Mount } from './contract.js';
import { DockerEnvManager, dockerFromEnv } from './docker.js';
import { environmentError } from './environment-errors.js';
import { LocalEnvManager } from './local.js';
import { type EnvironmentRunResult, type RunPackagesLoaded, runInEnvironment } from './run-in-environment.js';
import { RunpodEnvManager } from './runpod.js';

/** A model's `environment` block, with its image defaulted to the model's own `image`. */
export type ModelEnvironment = NonNullable<Model['environment']>;

/** The environment a run's model names; `local` (in process) when it names none. */
export function environmentOf(registry: RegistryManager, run: PlannedRun): ModelEnvironment {
  const model = registry.get('models', run.spec.model.model)?.entry;
  const environment = model?.environment;
  if (!environment) return { kind: 'local' };
  const image = environment.image ?? model?.image;
  return { ...environment, ...(image ? { image } : {}) };
}

/** The values of the variables an environment passes in; a name that is not set is an error, not an empty key. */
export function environmentVariables(
  environment: ModelEnvironment,
  env: Record<string, string | undefined>,
  model: string,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of environment.env ?? []) {
    const value = env[name];
    if (value === undefined) {
      throw environmentError(
        'VHB_E_ENV_CONFIG',
        `model "${model}" passes ${name} into its ${environment.kind} environment (environment.env), but ${name} is not set`,
        `set ${name}, or take it out of the model's environment.env`,
      );
    }
    values[name] = value;
  }
  return values;
}

/** The manager for an environment; `root` resolves relative mount sources, `env` finds the docker engine (DOCKER_HOST). */
export function managerFor(
  environment: ModelEnvironment,
  context: { root: string; env: Record<string, string | undefined>; model: string; cacheDir?: string },
): EnvManager {
  const mounts: Mount[] = (environment.mounts ?? []).map((m) => ({
    source: resolve(context.root, m.source),
    ...(m.target ? { target: m.target } : {}),
    ...(m.read_only ? { readOnly: true } : {}),
  }));
  switch (environment.kind) {
    case 'local':
      return new LocalEnvManager({ baseEnv: context.env });
    case 'docker':
      if (!environment.image) {
        throw environmentError(
          'VHB_E_ENV_CONFIG',
          `model "${context.model}" runs in docker but names no image`,
          'set `image:` on the model, or `environment.image` (an image with node and npm, e.g. node:20-slim)',
        );
      }
      return new DockerEnvManager({
        image: environment.image,
        docker: dockerFromEnv(context.env),
        mounts,
        ...(environment.gpus === undefined ? {} : { gpus: environment.gpus }),
        ...(environment.network ? { network: environment.network } : {}),
      });
    case 'apptainer':
      return new ApptainerEnvManager({
        image: imageOf(environment, context.model),
        cacheDir: resolve(context.root, environment.apptainer?.cache_dir ?? join(context.cacheDir ?? '.vhb-cache', 'apptainer')),
        ...(environment.apptainer?.binary ? { binary: environment.apptainer.binary } : {}),
        gpus: environment.gpus !== undefined,
        env: context.env as NodeJS.ProcessEnv,
      });
    case 'runpod':
      return runpodManager(environment, context);
  }
}

function imageOf(environment: ModelEnvironment, model: string): string {
  if (environment.image) return environment.image;
  throw environmentError(
    'VHB_E_ENV_CONFIG',
    `model "${model}" runs in ${environment.kind} but names no image`,
    'set `image:` on the model, or `environment.image` (an image with node and npm, e.g. node:20-slim)',
  );
}

function runpodManager(environment: ModelEnvironment, context: { env: Record<string, string | undefined>; model: string }): EnvManager {
  const pod = environment.runpod;
  if (!pod) {
    throw environmentError(
      'VHB_E_ENV_CONFIG',
      `model "${context.model}" runs on runpod but its environment has no \`runpod: { storage: s3://… }\``,
      "add environment.runpod.storage: the storage the pod and vhb exchange the run's files through",
    );
  }
  const storageEnv = environmentVariables({ kind: 'runpod', env: pod.storage_env ?? [] }, context.env, context.model);
  return new RunpodEnvManager({
    image: imageOf(environment, context.model),
    storage: pod.storage,
    storageEnv,
    ...(pod.gpu_type_ids ? { gpuTypeIds: pod.gpu_type_ids } : {}),
    ...(typeof environment.gpus === 'number' ? { gpuCount: environment.gpus } : {}),
    ...(pod.cloud_type ? { cloudType: pod.cloud_type } : {}),
    ...(pod.container_disk_gb ? { containerDiskInGb: pod.container_disk_gb } : {}),
    env: context.env as NodeJS.ProcessEnv,
  });
}

export interface ModelEnvironmentRun {
  run: PlannedRun;
  environment: ModelEnvironment;
  /** The run's loaded plugins in the runner's order: task, dataset, adapter, the metrics, the reporters. */
  loaded: readonly LoadedPlugin[];
  /** The runner's environment: the values of `environment.env` and DOCKER_HOST come from here. */
  env: Record<string, string | undefined>;
  /** The project root. */
  root: string;
  /** The host that loaded the plugins: its registry is the one the environment installs them from. */
  host: PluginHost;
  refreshCache?: boolean;
  signal?: AbortSignal;
  onEvent: (event: RunEvent) => void;
}

/** Runs a run in its model's environment and removes whatever the environment made, however the run ends. */
export async function runInModelEnvironment(options: ModelEnvironmentRun): Promise<EnvironmentRunResult> {
  const model = options.run.spec.model.model;
  const secrets = environmentVariables(options.environment, options.env, model);
  const cacheDir = options.run.spec.cacheDir;
  const manager = managerFor(options.environment, { root: options.root, env: options.env, model, ...(cacheDir ? { cacheDir } : {}) });
  try {
    return await runInEnvironment({
      run: options.run,
      plugins: byRole(options.loaded, options.run.needs.metrics.length),
      manager,
      registryOf: (source) => options.host.npmRegistryOf(source),
      env: secrets,
      ...(options.refreshCache ? { refreshCache: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: options.onEvent,
    });
  } finally {
    await manager.cleanup();
  }
}

/** The runner's flat list of a run's plugins, by role. */
function byRole(loaded: readonly LoadedPlugin[], metrics: number): RunPackagesLoaded {
  const [task, dataset, adapter, ...rest] = loaded;
  if (!task || !dataset || !adapter) throw new Error('a run needs its task, dataset and adapter loaded');
  return { task, dataset, adapter, metrics: rest.slice(0, metrics), reporters: rest.slice(metrics) };
}
