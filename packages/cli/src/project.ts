import { type Diagnostic, loadProjectConfig, PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import type { Logger } from '@vhb/sdk';
import type { Output } from './ui/output.js';

/** A project opened for a command: its config, its registries (overlays applied) and a plugin host. */
export interface Project {
  config: ProjectConfig;
  registry: RegistryManager;
  host: PluginHost;
}

export interface OpenOptions {
  cwd: string;
  /** --mode, which wins over RUN_MODE and the config. */
  mode?: 'prod' | 'dev';
}

function logger(output: Output): Logger {
  return { debug: (m) => output.debug && output.err(m), info: (m) => output.debug && output.err(m), warn: (m) => output.err(`⚠ ${m}`) };
}

export async function openProject(options: OpenOptions, output: Output): Promise<Project> {
  const env = options.mode ? { ...process.env, RUN_MODE: options.mode } : process.env;
  const config = await loadProjectConfig(options.cwd, { env });
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir, npmRegistry: config.npmRegistry, logger: logger(output) });
  return { config, registry, host };
}

/** Diagnostics of the registry files themselves (not yet those of a plan's references). */
export function loadDiagnostics(project: Project): readonly Diagnostic[] {
  return project.registry.diagnostics;
}
