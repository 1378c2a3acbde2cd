import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Name of the file that marks a cache folder as completely installed. */
export const MARKER_FILE = '.vhb-install.json';

/** What an install of one package leaves behind, so the next load needs nothing but this file. */
export interface InstallMarker {
  /** Package folder, relative to the cache folder. */
  packageDir: string;
  /** Resolved version (npm) or the package.json version (git). */
  version: string;
  /** Tarball integrity from npm's lock (npm sources). */
  integrity?: string;
  /** Commit checked out (git sources). */
  commit?: string;
  /** The source as given, for people reading the cache. */
  source: unknown;
  installedAt: string;
}

/** Tells a marker of the expected shape from a damaged or foreign one. */
export type MarkerCheck<M> = (value: unknown) => value is M;

const isPackageMarker: MarkerCheck<InstallMarker> = (value): value is InstallMarker =>
  typeof (value as InstallMarker | null)?.packageDir === 'string';

export async function readMarker<M = InstallMarker>(
  installDir: string,
  isMarker: MarkerCheck<M> = isPackageMarker as unknown as MarkerCheck<M>,
): Promise<M | undefined> {
  try {
    const marker = JSON.parse(await readFile(join(installDir, MARKER_FILE), 'utf8')) as unknown;
    return isMarker(marker) ? marker : undefined;
  } catch {
    return undefined;
  }
}

export interface InstallOptions<M> {
  isMarker?: MarkerCheck<M>;
  /** Install again and swap the result in even where a complete install is in place. */
  replace?: boolean;
}

/**
 * Installs into a temp sibling of `installDir`, writes the marker as the last file, then renames
 * the folder into place. A rename is atomic, so a folder under its final name is always complete;
 * when another process renamed first, its install wins and ours is thrown away.
 */
export async function installAtomically<M extends object = InstallMarker>(
  installDir: string,
  install: (stagingDir: string) => Promise<Omit<M, 'installedAt'>>,
  options: InstallOptions<M> = {},
): Promise<M> {
  const isMarker = options.isMarker ?? (isPackageMarker as unknown as MarkerCheck<M>);
  await mkdir(dirname(installDir), { recursive: true });
  // A folder without a marker is debris from an older, interrupted layout: never trust it.
  if (!(await readMarker(installDir, isMarker))) await rm(installDir, { recursive: true, force: true });
  const staging = siblingOf(installDir, 'tmp');
  await mkdir(staging);
  try {
    const marker = { ...(await install(staging)), installedAt: new Date().toISOString() } as unknown as M;
    await writeFile(join(staging, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    if (options.replace) await moveAside(installDir);
    try {
      await rename(staging, installDir);
      return marker;
    } catch (error) {
      const winner = await readMarker(installDir, isMarker);
      if (winner) {
        await rm(staging, { recursive: true, force: true });
        return winner;
      }
      throw error;
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function siblingOf(dir: string, what: string): string {
  return join(dirname(dir), `${basename(dir)}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Renames an existing install out of the way (then deletes it), so a fresh one can take its name. */
async function moveAside(installDir: string): Promise<void> {
  const old = siblingOf(installDir, 'old');
  try {
    await rename(installDir, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}
