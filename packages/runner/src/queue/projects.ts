import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProjectConfig, type ProjectConfig, RegistryManager, type RunMode } from '@vhb/core';

interface Opened {
  config: ProjectConfig;
  registry: RegistryManager;
  stamp: string;
}

/** Size and modification time of each file: any edit, addition or removal changes it. */
async function stampOf(files: string[]): Promise<string> {
  const stats = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (s) => `${file}\u0000${s.size}\u0000${s.mtimeMs}`,
        () => file,
      ),
    ),
  );
  return stats.sort().join('\n');
}

async function registryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * A worker's opened projects, by root and run mode: the config and loaded registries are kept
 * between jobs while no registry file (nor the config file) changed, so a job of a large project
 * does not parse every YAML file again. A changed file (size or time), a new or a removed one: loaded again.
 */
export class ProjectCache {
  private readonly opened = new Map<string, Opened>();

  /** `extra`: other files the job reads through the registry (a plan given as a path). */
  async open(root: string, mode: RunMode, env: Record<string, string | undefined>, extra: string[] = []): Promise<Omit<Opened, 'stamp'>> {
    const key = [root, mode, ...extra].join('\u0000');
    const filesOf = async (config: ProjectConfig) => [
      ...(await registryFiles(config.registriesDir)),
      ...(config.configFile ? [config.configFile] : []),
      ...extra,
    ];
    const known = this.opened.get(key);
    if (known && (await stampOf(await filesOf(known.config))) === known.stamp) return known;
    const config = await loadProjectConfig(root, { env: { ...env, RUN_MODE: mode }, stopDir: root });
    // Stamped before reading, so an edit made while loading is seen next time.
    const stamp = await stampOf(await filesOf(config));
    const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
    const opened = { config, registry, stamp };
    this.opened.set(key, opened);
    return opened;
  }
}
