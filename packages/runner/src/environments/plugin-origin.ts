import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeSource, type LoadedPlugin, type NpmSource } from '@vhb/core';
import { environmentError } from './environment-errors.js';

const execFileAsync = promisify(execFile);

/** How an environment installs a plugin the host loaded: `package@version` from a registry. */
export interface NpmOrigin {
  spec: string;
  /** Registry URL without a trailing slash; undefined: npm's own configuration. */
  registry: string | undefined;
}

/** The registry an npm source installs from on the host (its own, else the host's); undefined: npm's configuration. */
export type RegistryOf = (source: NpmSource) => string | undefined;

/**
 * Where a loaded npm plugin came from: its exact version, and the registry the host installed it
 * from. Any other source cannot be installed elsewhere by npm: that is an error naming the plugin.
 */
export function npmOriginOf(plugin: LoadedPlugin, where: string, registryOf: RegistryOf): NpmOrigin {
  const { source } = plugin;
  if (source.type !== 'npm') {
    throw environmentError(
      'VHB_E_ENV_SOURCE',
      `plugin "${plugin.name}" comes from ${describeSource(source)}, which ${where} cannot install: it installs every plugin with npm`,
      `publish ${plugin.packageName} to an npm registry (a local verdaccio will do) and make its package entry an npm source, or run the model without \`environment:\``,
    );
  }
  const registry = registryOf(source)?.trim().replace(/\/+$/, '');
  return { spec: `${plugin.packageName}@${plugin.version}`, registry: registry || undefined };
}

/**
 * The registry npm on this machine is configured with (user and global npmrc): what the host
 * installed from when neither the source nor the project named one. An image's npm would
 * otherwise use its own default, which may not be the same registry at all.
 */
export async function hostNpmRegistry(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('npm', ['config', 'get', 'registry'], { cwd: tmpdir(), timeout: 30_000 });
    const registry = stdout.trim().replace(/\/+$/, '');
    return /^https?:\/\//.test(registry) ? registry : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The file a task package's `bin` runs, relative to its folder: the `vhb-task-*` one when it has several. */
export async function taskBinOf(task: LoadedPlugin): Promise<string> {
  const manifest = (await readJson(join(task.packageDir, 'package.json'))) as { bin?: string | Record<string, string> } | undefined;
  const bin = manifest?.bin;
  const entries: [string, string][] = typeof bin === 'string' ? [['', bin]] : Object.entries(bin ?? {});
  const chosen = entries.find(([name]) => name.startsWith('vhb-task-')) ?? entries[0];
  if (!chosen?.[1]) {
    throw environmentError(
      'VHB_E_ENV_TASK_BIN',
      `task package ${task.packageName}@${task.version} declares no \`bin\`, so it cannot run a run on its own`,
      'give the task package a bin that calls runTaskBin(task) from @vhb/sdk (see @vhb/task-vqa)',
    );
  }
  return chosen[1];
}
