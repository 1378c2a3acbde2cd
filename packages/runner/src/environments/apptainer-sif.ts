import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { VhbError } from '@vhb/sdk';
import type { ApptainerBinary } from './apptainer-binary.js';
import { runProcess } from './apptainer-process.js';

/** What `apptainer build` reads: a registry image (`docker://`), the local Docker engine (`docker-daemon://`), or a SIF already built. */
export type ImageSource = { kind: 'sif'; path: string } | { kind: 'uri'; uri: string };

const URI = /^(docker|docker-daemon|docker-archive|oci|oci-archive|library|oras|shub):\/\//;

/** `node:20` → `docker://node:20`; a URI stays as it is; a path ending in `.sif` is used without a build. */
export function imageSource(image: string): ImageSource {
  if (image.endsWith('.sif') && !URI.test(image)) return { kind: 'sif', path: resolve(image) };
  return { kind: 'uri', uri: URI.test(image) ? image : `docker://${image}` };
}

/** `<cacheDir>/<safe-name>-<hash>.sif`: readable, and one file per distinct source URI. */
export function sifPath(cacheDir: string, uri: string): string {
  const name = uri
    .replace(URI, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  const hash = createHash('sha256').update(uri).digest('hex').slice(0, 12);
  return join(resolve(cacheDir), `${name || 'image'}-${hash}.sif`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const building = new Map<string, Promise<void>>();

/**
 * Holds `<sif>.lock` while `work` runs, so two setups (in this process or in two) never build the
 * same SIF at once. A lock left by a dead process on this host is taken over.
 */
async function withBuildLock(sif: string, timeoutMs: number, signal: AbortSignal | undefined, work: () => Promise<void>): Promise<void> {
  const file = `${sif}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as { pid: number; host: string; since: string },
      () => undefined, // gone meanwhile, or half-written: look again
    );
    if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new VhbError(
        'VHB_E_APPTAINER_LOCKED',
        `the SIF ${sif} is being built by process ${holder?.pid ?? '?'} on ${holder?.host ?? '?'} since ${holder?.since ?? '?'}`,
        { hint: `wait for that build to finish; if no such process runs any more, delete ${file}` },
      );
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    await work();
  } finally {
    await rm(file, { force: true });
  }
}

export interface EnsureSifOptions {
  binary: ApptainerBinary;
  image: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  lockTimeoutMs: number;
  signal?: AbortSignal | undefined;
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  mask: (text: string) => string;
}

/**
 * The SIF to run: the image's cached SIF, built once with `apptainer build <sif>.<pid>.tmp <uri>`
 * and renamed into place only when the build succeeded (a crashed build never looks cached).
 */
export async function ensureSif(options: EnsureSifOptions): Promise<string> {
  const source = imageSource(options.image);
  if (source.kind === 'sif') {
    if (await exists(source.path)) return source.path;
    throw new VhbError('VHB_E_APPTAINER_OPTIONS', `the SIF image ${source.path} does not exist`, {
      hint: 'give an existing .sif file, or a Docker image (node:20, docker://…, docker-daemon://…) to build one from',
    });
  }
  const sif = sifPath(options.cacheDir, source.uri);
  if (await exists(sif)) return sif;
  // Two setups in this process wait for one build rather than for the file lock.
  let build = building.get(sif);
  if (!build) {
    build = build0(options, source.uri, sif).finally(() => building.delete(sif));
    building.set(sif, build);
  }
  await build;
  return sif;
}

async function build0(options: EnsureSifOptions, uri: string, sif: string): Promise<void> {
  await mkdir(options.cacheDir, { recursive: true });
  await withBuildLock(sif, options.lockTimeoutMs, options.signal, async () => {
    if (await exists(sif)) return; // another process built it while we waited
    const temp = `${sif}.${process.pid}.tmp`;
    await rm(temp, { force: true, recursive: true });
    try {
      const { exitCode, stderrTail } = await runProcess(options.binary.path, ['build', temp, uri], options);
      if (exitCode !== 0)
        throw new VhbError(
          'VHB_E_APPTAINER_BUILD',
          `${options.binary.flavor} build of ${uri} exited with code ${exitCode}${stderrTail.length ? `: ${stderrTail.slice(-5).join(' | ')}` : ''}`,
          {
            hint: 'check the image name and that the registry (or the Docker engine, for docker-daemon://) is reachable; for disk space set APPTAINER_TMPDIR',
          },
        );
      await rename(temp, sif);
    } finally {
      await rm(temp, { force: true, recursive: true });
    }
  });
}
