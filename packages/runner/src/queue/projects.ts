import { loadProjectConfig, type ProjectConfig, RegistryManager, type RunMode } from '@vhb/core';
import { fileStamps, filesUnder } from '../file-stamps.js';

interface Opened {
  config: ProjectConfig;
  registry: RegistryManager;
  stamp: string;
}

const stampOf = async (files: string[]) => (await fileStamps(files)).join('\n');

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
      ...(await filesUnder(config.registriesDir)),
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
