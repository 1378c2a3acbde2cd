import type { AnyPlugin, Logger, PluginKind } from '@vhb/sdk';

/** A plugin package in a folder of this project, used in place (a dev link: no copy, no install). */
export interface LocalSource {
  type: 'local';
  /** Folder holding the package.json; relative to the host's root, or absolute. */
  path: string;
}

/** A plugin package in a git repository, cloned at a ref. */
export interface GitSource {
  type: 'git';
  url: string;
  /** Tag, branch or commit. */
  ref: string;
  /** Folder of the package inside the repository; default: its root. */
  subdirectory?: string;
}

/** A plugin package from an npm registry. */
export interface NpmSource {
  type: 'npm';
  package: string;
  /** Version or range, as `npm install <package>@<version>` reads it. */
  version: string;
  /** Registry URL; default: the host's `npmRegistry`, then npm's own configuration. */
  registry?: string;
}

/** Where a registry entry's plugin package comes from. */
export type DependencySource = LocalSource | GitSource | NpmSource;

export interface PluginHostOptions {
  /** Project root: local paths are relative to it. */
  root: string;
  /** Folder for installed packages (`<cacheDir>/plugins/<hash>`). */
  cacheDir: string;
  /** Registry for npm sources that name none (and for the dependencies of git sources). */
  npmRegistry?: string;
  /** Receives what the host installs and runs; silent by default. */
  logger?: Logger;
}

/** What to load: one registry entry's plugin. */
export interface LoadRequest {
  /** Registry entry name; every error names it. */
  name: string;
  /** Registry file the entry comes from; every error names it when given. */
  file?: string;
  source: DependencySource;
  /** Kind the entry expects; checked against package.json#vhb and the plugin itself. */
  kind?: PluginKind;
}

/** A plugin imported and checked against its contract. */
export interface LoadedPlugin {
  /** Registry entry name. */
  name: string;
  kind: PluginKind;
  /** The module's default export. */
  plugin: AnyPlugin;
  /** Absolute path of the imported JS file. */
  entryFile: string;
  /** Absolute folder of the plugin's package.json. */
  packageDir: string;
  /** `name` from the plugin's package.json. */
  packageName: string;
  /** `version` from the plugin's package.json. */
  version: string;
  source: DependencySource;
  /** Integrity of the installed tarball, from npm's lock (npm sources). */
  integrity?: string;
  /** True when nothing was installed by this load (a local source, or a cache hit). */
  cached: boolean;
}

/** `package.json#vhb`: what a package declares it provides. */
export interface PackageVhb {
  kind?: PluginKind;
  contract?: number;
}
