import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A publishable package of the workspace. */
export interface WorkspacePackage {
  dir: string;
  name: string;
  version: string;
  /** `package.json#vhb.kind`, for plugins. */
  kind?: string;
}

/** The plugin packages under `<root>/plugins`, in folder order. */
export async function workspacePlugins(root: string): Promise<WorkspacePackage[]> {
  const folders = (await readdir(join(root, 'plugins'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  return Promise.all(folders.sort().map((folder) => readPackage(join(root, 'plugins', folder))));
}

export async function readPackage(dir: string): Promise<WorkspacePackage> {
  const json = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  return { dir, name: json.name, version: json.version, kind: json.vhb?.kind };
}

/** `pnpm pack` of a workspace package (workspace: ranges become real ones); returns the tarball's path. */
export async function packPackage(dir: string, destination: string): Promise<string> {
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  const last = stdout.trim().split('\n').pop()?.trim() ?? '';
  return last.startsWith('/') ? last : join(destination, last);
}

/** `npm pack` of any folder (for third-party packages such as zod, copied out of pnpm's store first). */
export async function npmPack(dir: string, destination: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', dir, '--ignore-scripts', '--pack-destination', destination], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return join(destination, stdout.trim().split('\n').pop()?.trim() ?? '');
}
export { type ProjectWriter, projectWriter, writeEchoAdapter, writeNpmEntry } from './project.js';
