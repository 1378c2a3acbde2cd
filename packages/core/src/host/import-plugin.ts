import { pathToFileURL } from 'node:url';
import { checkPlugin, type PluginKind } from '@vhb/sdk';
import { hostError } from './errors.js';
import { entryLabel, entryOf, isFile, packageJsonVhb, readPackageJson } from './package-json.js';
import type { DependencySource, LoadedPlugin } from './types.js';

/** A package on disk, ready to import. */
export interface InstalledPackage {
  packageDir: string;
  integrity?: string;
  cached: boolean;
}

function missingEntryHint(source: DependencySource, packageName: string, label: string): string {
  switch (source.type) {
    case 'local':
      return `run \`pnpm --filter ${packageName} build\` (the host never builds local plugins)`;
    case 'npm':
      return `the published package lacks ${label}: publish it again after building, with ${label} in "files"`;
    case 'git':
      return `commit ${label}, or add a "build" script that writes it`;
  }
}

/**
 * Imports a package's entry file and checks its default export against the plugin contract and
 * against the kind declared in package.json#vhb and by the registry entry.
 */
export async function importPlugin(
  installed: InstalledPackage,
  request: { name: string; source: DependencySource; kind?: PluginKind },
): Promise<LoadedPlugin> {
  const { packageDir } = installed;
  const pkg = await readPackageJson(packageDir);
  const packageName = pkg.name ?? packageDir;
  const vhb = await packageJsonVhb(packageDir);
  if (request.kind && vhb?.kind && vhb.kind !== request.kind) {
    throw hostError(
      'VHB_E_PLUGIN_INVALID',
      `${packageName} declares kind "${vhb.kind}" in package.json#vhb, but the registry entry expects a ${request.kind}`,
      `register it as a ${vhb.kind}, or point the entry at a ${request.kind} package`,
    );
  }

  const entryFile = entryOf(packageDir, pkg);
  if (!(await isFile(entryFile))) {
    const label = entryLabel(packageDir, entryFile);
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `${packageDir} has no built entry ${label}: run \`pnpm --filter ${packageName} build\``,
      missingEntryHint(request.source, packageName, label),
    );
  }

  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(entryFile).href)) as { default?: unknown };
  } catch (error) {
    throw hostError(
      'VHB_E_PLUGIN_IMPORT',
      `importing ${entryFile} threw: ${(error as Error)?.message ?? String(error)}`,
      'run `node -e "import(process.argv[1])" <entry file>` to see the full error; check that its dependencies are installed',
      error,
    );
  }

  const expectedKind = request.kind ?? vhb?.kind;
  const invalid = (problems: string[]) =>
    hostError(
      'VHB_E_PLUGIN_INVALID',
      `the default export of ${entryFile} is not a valid ${expectedKind ?? 'plugin'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      `export default ${expectedKind ? `define${capitalise(expectedKind)}` : 'define<Kind>'}({...}) from @vhb/sdk, fix what is listed, and rebuild`,
    );
  const check = checkPlugin(mod.default, expectedKind);
  if (!check.ok) throw invalid(check.problems);
  const { plugin } = check;
  if (vhb?.contract !== undefined && vhb.contract !== plugin.contract) {
    throw invalid([`contract: package.json#vhb says ${vhb.contract}, the plugin says ${plugin.contract}: make them agree`]);
  }
  return {
    name: request.name,
    kind: plugin.kind,
    plugin,
    entryFile,
    packageDir,
    packageName,
    version: pkg.version ?? plugin.version,
    source: request.source,
    ...(installed.integrity ? { integrity: installed.integrity } : {}),
    cached: installed.cached,
  };
}

function capitalise(kind: string): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}
