import type { ContainerCreateOptions, MountSettings } from 'dockerode';
import type { Mount } from './contract.js';

/** The networks a run's container may use: `host` reaches engines on 127.0.0.1; `none` nothing. */
export type DockerNetwork = 'host' | 'none' | 'bridge';

/** Label on every container the docker manager makes, so they can be found and removed. */
export const MANAGED_LABEL = 'org.vlmhyperbench.managed';

export interface ContainerSpec {
  image: string;
  command: string[];
  cwd?: string;
  /** Passed as is; the values are secrets (see `describeContainer`). */
  env?: Record<string, string>;
  mounts?: readonly Mount[];
  network: DockerNetwork;
  /** NVIDIA GPUs: a count, or `all`; none when absent. */
  gpus?: number | 'all';
  /** `uid:gid` the command runs as. */
  user?: string;
}

/** The bind mounts of a container: every host folder at its target (the same path when none is given). */
export function dockerMounts(mounts: readonly Mount[]): MountSettings[] {
  return mounts.map((mount) => ({
    Type: 'bind',
    Source: mount.source,
    Target: mount.target ?? mount.source,
    ReadOnly: mount.readOnly === true,
  }));
}

/** The GPU request docker's NVIDIA runtime reads (`--gpus N` / `--gpus all`); none without GPUs. */
export function gpuRequests(gpus: number | 'all' | undefined) {
  if (gpus === undefined) return undefined;
  return [{ Driver: 'nvidia', Count: gpus === 'all' ? -1 : gpus, Capabilities: [['gpu']] }];
}

/** What `docker.createContainer` gets for a spec: output attached (no TTY), bind mounts, network, GPUs. */
export function containerCreateOptions(spec: ContainerSpec): ContainerCreateOptions {
  const devices = gpuRequests(spec.gpus);
  return {
    Image: spec.image,
    Cmd: spec.command,
    ...(spec.cwd ? { WorkingDir: spec.cwd } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    Env: Object.entries(spec.env ?? {}).map(([name, value]) => `${name}=${value}`),
    Labels: { [MANAGED_LABEL]: 'true' },
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      Mounts: dockerMounts(spec.mounts ?? []),
      NetworkMode: spec.network,
      ...(devices ? { DeviceRequests: devices } : {}),
    },
  };
}

/** One line describing a container for logs, as the docker command would start it; env values masked. */
export function describeContainer(spec: ContainerSpec): string {
  const flags = [
    ...(spec.user ? [`--user ${spec.user}`] : []),
    ...(spec.cwd ? [`--workdir ${spec.cwd}`] : []),
    ...Object.keys(spec.env ?? {}).map((name) => `-e ${name}=***`),
    ...(spec.mounts ?? []).map((m) => `-v ${m.source}:${m.target ?? m.source}${m.readOnly ? ':ro' : ''}`),
    `--network ${spec.network}`,
    ...(spec.gpus === undefined ? [] : [`--gpus ${spec.gpus}`]),
  ];
  return ['docker run', ...flags, spec.image, ...spec.command].join(' ');
}
