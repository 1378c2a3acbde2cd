import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Name of the file that marks a cache folder as completely installed. */
export const MARKER_FILE = '.vhb-install.json';

/** What an install leaves behind, so the next load needs nothing but this file. */
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

export async function readMarker(installDir: string): Promise<InstallMarker | undefined> {
  try {
    const marker = JSON.parse(await readFile(join(installDir, MARKER_FILE), 'utf8')) as InstallMarker;
    return typeof marker.packageDir === 'string' ? marker : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs into a temp sibling of `installDir`, writes the marker as the last file, then renames
 * the folder into place. A rename is atomic, so a folder under its final name is always complete;
 * when another process renamed first, its install wins and ours is thrown away.
 */
export async function installAtomically(
  installDir: string,
  install: (stagingDir: string) => Promise<Omit<InstallMarker, 'installedAt'>>,
): Promise<InstallMarker> {
  await mkdir(dirname(installDir), { recursive: true });
  // A folder without a marker is debris from an older, interrupted layout: never trust it.
  if (!(await readMarker(installDir))) await rm(installDir, { recursive: true, force: true });
  const staging = join(dirname(installDir), `${basename(installDir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    const marker: InstallMarker = { ...(await install(staging)), installedAt: new Date().toISOString() };
    await writeFile(join(staging, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    try {
      await rename(staging, installDir);
      return marker;
    } catch (error) {
      const winner = await readMarker(installDir);
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
