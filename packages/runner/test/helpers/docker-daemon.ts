// A throwaway Docker engine for tests: dockerd on a socket in a temp folder, vfs storage, no bridge
// network (containers use --network host or none; see shared/MACHINE-NOTES.md), stopped and its
// data removed afterwards.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Dockerode from 'dockerode';

export interface DockerDaemon {
  docker: Dockerode;
  /** `unix://<socket>`: DOCKER_HOST for code that finds the engine itself. */
  host: string;
  stop(): Promise<void>;
}

const onPath = (program: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, program)));

/** Why this machine cannot run the docker tests, or undefined when it can. */
export function dockerSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'the docker tests start their own dockerd, which needs Linux';
  if (process.getuid?.() !== 0) return 'the docker tests start their own dockerd, which needs root (CI runs them as root)';
  if (!onPath('dockerd')) return 'dockerd is not installed (apt-get install docker.io)';
  if (!existsSync('/bin/busybox')) return 'busybox is not installed (apt-get install busybox-static): the test image is built from it';
  return undefined;
}

/** Starts dockerd and waits until it answers a ping (30 s at most). */
export async function startDockerd(): Promise<DockerDaemon> {
  const root = await mkdtemp(join(tmpdir(), 'vhb-dockerd-'));
  const socket = join(root, 'docker.sock');
  const child = spawn(
    'dockerd',
    [
      '--storage-driver=vfs',
      '--bridge=none',
      '--iptables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'docker.pid')}`,
      `--host=unix://${socket}`,
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child, exited);
    await unmountUnder(root);
    await rm(root, { recursive: true, force: true });
  };
  const docker = new Dockerode({ socketPath: socket });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`dockerd exited (${child.exitCode}) before answering:\n${output}`);
    }
    if (
      existsSync(socket) &&
      (await docker.ping().then(
        () => true,
        () => false,
      ))
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dockerd did not answer within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { docker, host: `unix://${socket}`, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** dockerd leaves mounts in its exec root (the network namespace `netns/default`): undo them, deepest first. */
async function unmountUnder(root: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) {
    await new Promise<void>((resolve) => execFile('umount', ['-l', point], () => resolve()));
  }
}
