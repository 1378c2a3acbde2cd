import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@vhb/sdk';
import { type InstallMarker, installAtomically, readMarker } from './cache.js';
import { npmSpecKey, type PreparedEnvironment, prepareNpmEnvironment } from './environment.js';
import { hostError, withContext } from './errors.js';
import { installGitPackage, resolveGitRef } from './git.js';
import { type InstalledPackage, importPlugin } from './import-plugin.js';
import { installNpmPackage } from './npm.js';
import { isDirectory } from './package-json.js';
import { cacheKey, describeSource, gitUrlOf, localPathOf, npmRegistryOf } from './source.js';
import type { DependencySource, GitSource, LoadedPlugin, LoadRequest, NpmSource, PluginHostOptions } from './types.js';

const silent: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Resolves, installs (just in time, cached by content) and imports plugin packages, and checks
 * each against the plugin contract. One failing plugin only fails its own `load`.
 */
export class PluginHost {
  private readonly options: PluginHostOptions;
  private readonly logger: Logger;
  // Installs in progress, by cache folder: a second load of the same source waits on the first.
  private readonly inFlight = new Map<string, Promise<InstalledPackage>>();
  // npm packages installed together by `prepare`, by `npmSpecKey`: loads take them from there.
  private readonly prepared = new Map<string, InstalledPackage>();

  constructor(options: PluginHostOptions) {
    this.options = options;
    this.logger = options.logger ?? silent;
  }

  /** The registry an npm source installs from: its own `registry`, else the host's `npmRegistry`; undefined means npm's configuration. */
  npmRegistryOf(source: NpmSource): string | undefined {
    return npmRegistryOf(source, this.options.npmRegistry);
  }

  /** Resolves, installs just in time (cached), imports and checks one plugin package. */
  async load(request: LoadRequest): Promise<LoadedPlugin> {
    try {
      const installed = await this.install(request.source);
      return await importPlugin(installed, request);
    } catch (error) {
      throw withContext(error, this.where(request));
    }
  }

  /**
   * Installs the npm packages of a set of loads together, one folder per registry (the run
   * environment's plugin folder), so they share their dependencies — one @vhb/sdk, one zod — and
   * load as fast as their imports allow. The same set again is a cache hit; `refresh` installs
   * again so ranges pick up newer releases. A set that fails to install together is left to
   * the loads, which install each package alone and name the entry that is wrong.
   */
  async prepare(requests: readonly LoadRequest[], options: { refresh?: boolean } = {}): Promise<PreparedEnvironment[]> {
    const byRegistry = new Map<string | undefined, NpmSource[]>();
    for (const { source } of requests) {
      if (source.type !== 'npm') continue;
      const registry = npmRegistryOf(source, this.options.npmRegistry);
      byRegistry.set(registry, [...(byRegistry.get(registry) ?? []), source]);
    }
    const prepared: PreparedEnvironment[] = [];
    for (const [registry, sources] of byRegistry) {
      try {
        const { environment, packages } = await prepareNpmEnvironment(
          this.options.cacheDir,
          sources,
          registry,
          this.logger,
          options.refresh,
        );
        for (const [key, installed] of packages) {
          this.prepared.set(key, { packageDir: installed.packageDir, integrity: installed.integrity, cached: environment.cached });
        }
        prepared.push(environment);
      } catch (error) {
        this.logger.debug(`installing ${sources.length} packages together failed; each is installed alone: ${(error as Error).message}`);
      }
    }
    return prepared;
  }

  /** `plugin "cer" in registries/metrics.yaml (npm @vhb/metric-cer@^0.1.0 from http://…)`: prefixes every error. */
  private where(request: LoadRequest): string {
    const file = request.file ? ` in ${request.file}` : '';
    return `Cannot load plugin "${request.name}"${file} (${describeSource(request.source, this.options.npmRegistry)})`;
  }

  private install(source: DependencySource): Promise<InstalledPackage> {
    switch (source.type) {
      case 'local':
        return this.local(source.path);
      case 'npm':
        return this.npm(source);
      case 'git':
        return this.git(source);
      default:
        throw hostError(
          'VHB_E_PLUGIN_RESOLVE',
          `unknown source type ${JSON.stringify((source as { type?: unknown }).type)}`,
          'use a source of type local, git or npm',
        );
    }
  }

  private async local(path: string): Promise<InstalledPackage> {
    const packageDir = localPathOf(path, this.options.root);
    if (!(await isDirectory(packageDir))) {
      throw hostError(
        'VHB_E_PLUGIN_RESOLVE',
        `folder ${packageDir} does not exist`,
        `fix the path; local paths are relative to ${this.options.root}`,
      );
    }
    return { packageDir, cached: true };
  }

  private npm(source: NpmSource): Promise<InstalledPackage> {
    const registry = npmRegistryOf(source, this.options.npmRegistry);
    const prepared = this.prepared.get(npmSpecKey(source, registry));
    if (prepared) return Promise.resolve(prepared);
    const key = cacheKey({
      type: 'npm',
      package: source.package.trim(),
      version: source.version.trim(),
      registry: registry ?? '(npm config)',
    });
    const installDir = join(this.options.cacheDir, 'plugins', key);
    return this.once(installDir, () =>
      this.cachedOrInstall(installDir, (staging) => installNpmPackage(source, registry, staging, this.logger)),
    );
  }

  private git(source: GitSource): Promise<InstalledPackage> {
    const url = gitUrlOf(source.url, this.options.root);
    const registry = this.options.npmRegistry?.replace(/\/+$/, '');
    const pending = `git:${url}#${source.ref}:${source.subdirectory ?? ''}`;
    return this.once(pending, async () => {
      const commit = await resolveGitRef(url, source.ref, this.options.root, this.logger);
      const key = cacheKey({ type: 'git', url, ref: source.ref, commit, subdirectory: source.subdirectory });
      const installDir = join(this.options.cacheDir, 'plugins', key);
      return this.cachedOrInstall(installDir, (staging) => installGitPackage(source, url, commit, registry, staging, this.logger));
    });
  }

  private async cachedOrInstall(
    installDir: string,
    install: (staging: string) => Promise<Omit<InstallMarker, 'installedAt'>>,
  ): Promise<InstalledPackage> {
    const found = await readMarker(installDir);
    if (found && (await isDirectory(join(installDir, found.packageDir)))) {
      this.logger.debug(`cache hit: ${installDir}`);
      return { packageDir: join(installDir, found.packageDir), integrity: found.integrity, cached: true };
    }
    // A marker whose package was deleted by hand is no cache hit: start that folder over.
    if (found) await rm(installDir, { recursive: true, force: true });
    const marker = await installAtomically(installDir, install);
    return { packageDir: join(installDir, marker.packageDir), integrity: marker.integrity, cached: false };
  }

  private once(key: string, work: () => Promise<InstalledPackage>): Promise<InstalledPackage> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
