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
 * Packs the zod that `@vhb/sdk` depends on. npm cannot pack a folder inside pnpm's store layout
 * ("Exit handler never called"), so the folder is copied out first.
 */
export async function packZod(sdkDir: string, destination: string): Promise<string> {
  const zodDir = realpathSync(join(sdkDir, 'node_modules/zod'));
  const copy = join(destination, 'zod-source');
  await cp(zodDir, copy, { recursive: true });
  return pack('npm', copy, destination);
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
