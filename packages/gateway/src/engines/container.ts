import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandEngineConfig, ContainerConfig } from '../config.js';
import { GatewayError } from '../errors.js';

/** Docker container names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; model names already do, but a gateway caller may pass anything. */
export function containerName(model: string, port: number): string {
  const safe = model.replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return `vhb-serve-${safe || 'model'}-${port}`;
}

/**
 * The variables the container gets, by NAME only (`-e NAME`): docker copies each value from its own
 * environment, so no secret is ever on a command line. The engine's own variables, the container's, and the API key.
 */
function passedNames(config: CommandEngineConfig, container: ContainerConfig): string[] {
  return [...new Set([...config.env, ...container.env, ...(config.apiKeyEnv ? [config.apiKeyEnv] : [])])];
}

/**
 * The docker CLI argv that runs a model's serve command in a container: `docker run --rm --init --name
 * vhb-serve-<model>-<port> --network host [--gpus …] [-v src:dst[:ro]…] [-e NAME…] <image> <command>`. Host
 * networking because the gateway reaches the engine on 127.0.0.1:<port>; `--init` so SIGTERM, which the
 * docker client passes on, reaches an engine that runs as PID 1.
 */
export function dockerRunArgv(
  model: string,
  config: CommandEngineConfig,
  container: ContainerConfig,
  port: number,
  command: string[],
): string[] {
  if (container.network !== 'host') {
    throw new GatewayError(
      'VHB_E_GATEWAY_CONFIG',
      `model "${model}": environment network "${container.network}" cannot serve: the gateway reaches the engine on ${config.host}:${port}`,
      { hint: "set `network: host` (or leave it out) in the model's environment block" },
    );
  }
  const argv = [container.docker, 'run', '--rm', '--init', '--name', containerName(model, port), '--network', 'host'];
  if (container.gpus !== undefined) argv.push('--gpus', String(container.gpus));
  for (const mount of container.mounts) {
    argv.push('-v', `${mount.source}:${mount.target ?? mount.source}${mount.readOnly ? ':ro' : ''}`);
  }
  for (const name of passedNames(config, container)) argv.push('-e', name);
  argv.push(container.image, ...command);
  return argv;
}

/** Fails with a hint when the docker CLI is neither a path that exists nor on PATH (spawn's ENOENT says too little). */
export function assertDockerCli(model: string, program: string, env: NodeJS.ProcessEnv): void {
  const found = program.includes('/')
    ? existsSync(program)
    : (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, program)));
  if (found) return;
  throw new GatewayError(
    'VHB_E_GATEWAY_LOAD',
    `model "${model}" runs in a docker container, but the docker CLI "${program}" is not found`,
    {
      hint: 'install the docker CLI (apt-get install docker.io) and put it on PATH; set DOCKER_HOST to reach a remote engine',
    },
  );
}

const run = (argv: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    const [program, ...args] = argv as [string, ...string[]];
    execFile(program, args, { env, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr: String(stderr) }),
    );
  });

/**
 * Removes the container whatever state it is in: after a SIGKILLed docker client, or while `--rm` is
 * still removing it, the container can outlive the client. Waits (up to `waitMs`) until docker no longer knows it.
 */
export async function removeContainer(docker: string, name: string, env: NodeJS.ProcessEnv, waitMs: number): Promise<boolean> {
  await run([docker, 'rm', '-f', name], env);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if ((await run([docker, 'container', 'inspect', name], env)).code !== 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(200);
  }
}
