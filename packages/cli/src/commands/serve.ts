import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Model } from '@vhb/core';
import { createGateway, type EngineConfigInput } from '@vhb/gateway';
import type { AdapterPlugin } from '@vhb/sdk';
import { VhbError } from '@vhb/sdk';
import { EXIT } from '../exit-codes.js';
import { loadDiagnostics, openProject, type Project } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import { type Output, paint } from '../ui/output.js';

type ContainerInput = NonNullable<Extract<EngineConfigInput, { kind: 'command' }>['container']>;

export interface ServeOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  host: string;
  port: number;
  apiKeyFile?: string;
  /** false with --no-auth. */
  auth: boolean;
  /** Models to load at start. */
  load?: string[];
  datasetRoot?: string;
  debug?: boolean;
}

/** Names of environment variables a model's options point at (`api_key_env: OPENAI_API_KEY`): their values are masked. */
function secretNames(options: Record<string, unknown> | undefined): string[] {
  return Object.entries(options ?? {})
    .filter(([key, value]) => key.endsWith('_env') && typeof value === 'string')
    .map(([, value]) => value as string);
}

/** A model's `environment: { kind: docker }` → the container its serve command runs in (mount sources relative to the project root). */
function containerFor(project: Project, model: Model, environment: NonNullable<Model['environment']>, file: string): ContainerInput {
  const image = environment.image ?? model.image;
  if (!image) {
    throw new VhbError('VHB_E_ENV_CONFIG', `model "${model.name}" (${file}) runs in docker but names no image`, {
      hint: "set `environment.image` (or the model's `image`) to the engine's image, e.g. vllm/vllm-openai",
    });
  }
  return {
    image,
    ...(environment.gpus !== undefined ? { gpus: environment.gpus } : {}),
    mounts: (environment.mounts ?? []).map((mount) => ({
      source: resolve(project.config.root, mount.source),
      ...(mount.target ? { target: mount.target } : {}),
      readOnly: mount.read_only ?? false,
    })),
    ...(environment.network ? { network: environment.network } : {}),
    env: environment.env ?? [],
  };
}

/**
 * The engine of a registry model: a `serve:` block → a command engine (`vllm serve …`; in a container
 * with `environment: { kind: docker }`), an `endpoint` → a remote OpenAI-compatible engine, anything else → its adapter plugin in process,
 * imported through the plugin host when the model is loaded.
 */
export function engineFor(project: Project, model: Model, file: string): EngineConfigInput {
  const apiKeyEnv = typeof model.options?.api_key_env === 'string' ? model.options.api_key_env : undefined;
  if (model.serve) {
    const kind = model.environment?.kind ?? 'local';
    if (kind !== 'local' && kind !== 'docker') {
      throw new VhbError('VHB_E_ENV_CONFIG', `model "${model.name}" (${file}): \`vhb serve\` cannot start an engine in ${kind}`, {
        hint: 'serve it with `environment: { kind: docker }` or locally, or start it yourself and give the model an `endpoint`',
      });
    }
    return {
      kind: 'command',
      command: model.serve.command,
      ...(model.serve.port !== undefined ? { port: model.serve.port } : {}),
      ...(model.serve.health_path ? { healthPath: model.serve.health_path } : {}),
      ...(model.serve.startup_timeout_ms ? { startupTimeoutMs: model.serve.startup_timeout_ms } : {}),
      env: model.serve.env ?? [],
      ...(model.model_id ? { modelId: model.model_id } : {}),
      ...(apiKeyEnv ? { apiKeyEnv } : {}),
      ...(model.environment?.kind === 'docker' ? { container: containerFor(project, model, model.environment, file) } : {}),
    };
  }
  if (model.endpoint) {
    return {
      kind: 'openai',
      baseUrl: model.endpoint,
      ...(model.model_id ? { modelId: model.model_id } : {}),
      ...(apiKeyEnv ? { apiKeyEnv } : {}),
    };
  }
  const plugin = async (): Promise<AdapterPlugin> => {
    const entry = project.registry.get('packages', model.adapter);
    if (!entry) {
      throw new VhbError('VHB_E_PLAN_REFERENCE', `package "${model.adapter}" of model "${model.name}" (${file}) is not defined`, {
        hint: 'run `vhb validate`',
      });
    }
    const loaded = await project.host.load({ name: model.adapter, file: entry.file, source: entry.entry.source, kind: 'adapter' });
    return loaded.plugin as AdapterPlugin;
  };
  return {
    kind: 'adapter',
    plugin,
    ...(model.options ? { options: model.options } : {}),
    ...(model.model_id ? { modelId: model.model_id } : {}),
    secretEnv: secretNames(model.options),
  };
}

/** Ctrl-C (or SIGTERM) resolves this; the gateway then stops its engines. */
function stopSignal(): { stopped: Promise<string>; dispose(): void } {
  let done: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    done = resolve;
  });
  const onSignal = (signal: string) => done(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** `vhb serve`: the gateway in front of the registry's models, until Ctrl-C. */
export async function serveCommand(options: ServeOptions, output: Output): Promise<number> {
  const project = await openProject(options, output);
  if (printDiagnostics(output, loadDiagnostics(project)) > 0) return EXIT.invalidInput;
  const engines: Record<string, EngineConfigInput> = {};
  for (const { entry, file } of project.registry.list('models')) engines[entry.name] = engineFor(project, entry, file);

  const defaultRoot = join(project.config.root, 'datasets');
  const datasetRoot = options.datasetRoot ? resolve(options.cwd, options.datasetRoot) : existsSync(defaultRoot) ? defaultRoot : undefined;
  const signal = stopSignal();
  try {
    const gateway = await createGateway({
      host: options.host,
      port: options.port,
      engines,
      ...(datasetRoot ? { datasetRoot } : {}),
      ...(options.apiKeyFile ? { apiKeyFile: resolve(options.cwd, options.apiKeyFile) } : {}),
      allowNoAuth: !options.auth,
      load: options.load ?? [],
      logLevel: options.debug ? 'debug' : 'info',
      logDestination: { write: (line: string) => output.err(line.trimEnd()) },
    });
    const pc = paint(output);
    output.out(`vhb gateway listening on ${gateway.url}`);
    for (const engine of gateway.engines.values()) output.out(`  ${engine.name.padEnd(24)} ${engine.kind.padEnd(8)} ${engine.state}`);
    if (datasetRoot) output.out(`  image paths are read under ${datasetRoot}`);
    output.err(pc.dim('OpenAI-compatible API at /v1 · GET /openapi.json · Ctrl-C stops the gateway and its engines'));
    const received = await signal.stopped;
    output.err(`${received}: stopping the engines…`);
    await gateway.close();
    output.err('gateway stopped');
    return EXIT.ok;
  } finally {
    signal.dispose();
  }
}
