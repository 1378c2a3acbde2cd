import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The folders that hold publishable packages, relative to the repository root. */
export const PUBLISHABLE_FOLDERS = ['packages', 'plugins'] as const;

/** A workspace package that can be published: it has a name, a version and is not private. */
export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
}

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  files?: string[];
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Every non-private package under `packages/*` and `plugins/*` of `root`, sorted by name. */
export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const found: WorkspacePackage[] = [];
  for (const folder of PUBLISHABLE_FOLDERS) {
    const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, folder, entry.name);
      const manifest = await readManifest(dir);
      if (!manifest?.name || !manifest.version || manifest.private) continue;
      found.push({ name: manifest.name, version: manifest.version, dir });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Throws when a package lists `dist` in `files` but has not been built: its tarball would be
 * empty of code and fail at import time, long after the publish looked fine.
 */
export async function assertBuilt(pkg: WorkspacePackage): Promise<void> {
  const manifest = await readManifest(pkg.dir);
  if (manifest?.files?.includes('dist') && !existsSync(join(pkg.dir, 'dist'))) {
    throw new Error(`${pkg.name} is not built (${join(pkg.dir, 'dist')} is missing): run \`pnpm build\` first`);
  }
}

/** Runs `tool pack` and returns the absolute path of the tarball it wrote into `destination`. */
async function pack(tool: 'npm' | 'pnpm', dir: string, destination: string): Promise<string> {
  const args =
    tool === 'npm' ? ['pack', dir, '--ignore-scripts', '--pack-destination', destination] : ['pack', '--pack-destination', destination];
  try {
    const { stdout } = await execFileAsync(tool, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const name = stdout.trim().split('\n').pop()?.trim() ?? '';
    return name.startsWith('/') ? name : join(destination, name);
  } catch (error) {
    throw new Error(`${tool} pack ${dir} failed:\n${String((error as { stderr?: string }).stderr ?? error)}`, { cause: error });
  }
}

/** `pnpm pack` of a workspace package: `workspace:^` ranges become real version ranges. */
export function packWorkspacePackage(pkg: WorkspacePackage, destination: string): Promise<string> {
  return pack('pnpm', pkg.dir, destination);
}

/**
 * Packs the runtime dependencies of `@vhb/sdk` (zod, undici) for a registry without uplinks. npm
 * cannot pack a folder inside pnpm's store layout ("Exit handler never called"), so each folder is
 * copied out first. They must have no dependencies of their own (true of zod and undici): a new one
 * that has some fails here, by name, rather than at install time.
 */
export async function packSdkDependencies(sdkDir: string, destination: string): Promise<{ id: string; tarball: string }[]> {
  const { dependencies = {} } = JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Promise.all(
    Object.keys(dependencies).map(async (name) => {
      const source = realpathSync(join(sdkDir, 'node_modules', name));
      const pkg = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as { version: string; dependencies?: object };
      if (Object.keys(pkg.dependencies ?? {}).length > 0) {
        throw new Error(`@vhb/sdk depends on ${name}, which has dependencies of its own: publish those to the local registry too`);
      }
      const copy = join(destination, `${name.replace('/', '+')}-source`);
      await cp(source, copy, { recursive: true });
      return { id: `${name}@${pkg.version}`, tarball: await pack('npm', copy, destination) };
    }),
  );
}

/** Packs `@vhb/sdk` (its dist must be built) and its dependencies, and publishes them to `registry`; returns `name@version` of each. */
export async function publishSdk(
  registry: { publish(tarball: string): Promise<void> },
  sdkDir: string,
  destination: string,
): Promise<string[]> {
  const { version } = JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8')) as { version: string };
  const tarballs = [
    ...(await packSdkDependencies(sdkDir, destination)),
    { id: `@vhb/sdk@${version}`, tarball: await pack('pnpm', sdkDir, destination) },
  ];
  for (const { tarball } of tarballs) await registry.publish(tarball);
  return tarballs.map(({ id }) => id);
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
