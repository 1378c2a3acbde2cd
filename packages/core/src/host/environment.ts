import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '@vhb/sdk';
import { installAtomically, type MarkerCheck, readMarker } from './cache.js';
import { type InstalledNpmPackage, installNpmPackages } from './npm.js';
import { isDirectory } from './package-json.js';
import { cacheKey } from './source.js';
import type { NpmSource } from './types.js';

/** The marker of an environment folder: every package it holds, by `npmSpecKey`. */
export interface EnvironmentMarker {
  registry: string | null;
  packages: Record<string, InstalledNpmPackage>;
  installedAt: string;
}

const isEnvironmentMarker: MarkerCheck<EnvironmentMarker> = (value): value is EnvironmentMarker =>
  typeof (value as EnvironmentMarker | null)?.packages === 'object' && (value as EnvironmentMarker).packages !== null;

/** What preparing one environment did. */
export interface PreparedEnvironment {
  /** Absolute folder the packages are installed in (the folder a container mounts). */
  dir: string;
  registry: string | undefined;
  /** `package@version` of each package in it, as the registry entries ask for them. */
  specs: string[];
  /** True when the folder was already complete: nothing was installed. */
  cached: boolean;
}

/** The key an npm source is found under in an environment: its package, range and registry. */
export function npmSpecKey(source: NpmSource, registry: string | undefined): string {
  return `${registry ?? ''}\u0000${source.package.trim()}@${source.version.trim()}`;
}

/**
 * Picks the sources one environment can hold: one version per package name, as npm's
 * node_modules can hold only one. The others are left for installs of their own.
 */
export function environmentSources(sources: readonly NpmSource[]): NpmSource[] {
  const byName = new Map<string, NpmSource>();
  for (const source of sources) {
    const name = source.package.trim();
    if (!byName.has(name)) byName.set(name, { ...source, package: name, version: source.version.trim() });
  }
  return [...byName.values()].sort((a, b) => a.package.localeCompare(b.package) || a.version.localeCompare(b.version));
}

/**
 * Installs a set of npm sources from one registry into one folder. The set names a pointer file
 * (`environments/<sha256 of registry and specs>.json`) that names the folder holding its install:
 * the same set is a cache hit, whoever asks for it. `refresh` installs again into a new folder (a
 * range may now match a newer release) and moves the pointer: a new path, so a process that
 * imported the old install imports the new one afresh instead of reusing its cached modules.
 */
export async function prepareNpmEnvironment(
  cacheDir: string,
  sources: readonly NpmSource[],
  registry: string | undefined,
  logger: Logger,
  refresh = false,
): Promise<{ environment: PreparedEnvironment; packages: Map<string, InstalledNpmPackage> }> {
  const chosen = environmentSources(sources);
  const specs = chosen.map((source) => `${source.package}@${source.version}`);
  const base = join(cacheDir, 'environments');
  const id = cacheKey({ type: 'npm-environment', registry: registry ?? '(npm config)', specs: specs.join(' ') });
  const pointer = join(base, `${id}.json`);
  const previous = await readPointer(pointer);
  if (previous && !refresh) {
    const dir = join(base, previous);
    const found = await readMarker(dir, isEnvironmentMarker);
    if (found && (await everyPackageThere(dir, found))) return prepared(dir, registry, specs, found, true);
  }
  const dir = join(base, `${id}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`);
  const marker = await installAtomically<EnvironmentMarker>(
    dir,
    async (staging) => {
      const installed = await installNpmPackages(chosen, registry, staging, logger);
      return {
        registry: registry ?? null,
        packages: Object.fromEntries(chosen.map((source, i) => [npmSpecKey(source, registry), installed[i] as InstalledNpmPackage])),
      };
    },
    { isMarker: isEnvironmentMarker },
  );
  await writePointer(pointer, basename(dir));
  if (previous) await rm(join(base, previous), { recursive: true, force: true });
  return prepared(dir, registry, specs, marker, false);
}

function prepared(dir: string, registry: string | undefined, specs: string[], marker: EnvironmentMarker, cached: boolean) {
  const packages = new Map<string, InstalledNpmPackage>();
  for (const [key, installed] of Object.entries(marker.packages)) {
    packages.set(key, { ...installed, packageDir: join(dir, installed.packageDir) });
  }
  return { environment: { dir, registry, specs, cached }, packages };
}

async function readPointer(file: string): Promise<string | undefined> {
  try {
    const folder = (JSON.parse(await readFile(file, 'utf8')) as { folder?: unknown }).folder;
    // Only a plain folder name beside the pointer: never a path that leads elsewhere.
    return typeof folder === 'string' && folder === basename(folder) && !folder.startsWith('.') ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the pointer beside itself and renames it into place, so a reader sees the old or the new one. */
async function writePointer(file: string, folder: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, `${JSON.stringify({ folder }, null, 2)}\n`);
  await rename(temp, file);
}

/** A marker whose packages were deleted by hand is no cache hit. */
async function everyPackageThere(dir: string, marker: EnvironmentMarker): Promise<boolean> {
  const checks = await Promise.all(Object.values(marker.packages).map((p) => isDirectory(join(dir, p.packageDir))));
  return checks.every(Boolean);
}
