import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@vhb/sdk';
import type { InstallMarker } from './cache.js';
import { hostError } from './errors.js';
import { type CommandResult, runCommand, usefulOutput } from './exec.js';
import { readPackageJson } from './package-json.js';
import type { NpmSource } from './types.js';

// npm's codes for "there is no such package or version": the source is wrong, not the install.
const notFoundCodes = new Set(['E404', 'ETARGET', 'ENOVERSIONS', 'EINVALIDTAGNAME', 'EINVALIDPACKAGENAME']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET']);

/** Arguments that point npm at a registry, or none to keep npm's own configuration. */
export function registryArgs(registry: string | undefined): string[] {
  return registry ? ['--registry', `${registry}/`] : [];
}

/** Runs npm and turns a failure into a host error carrying npm's own explanation (secrets masked). */
export async function runNpm(args: string[], cwd: string, logger: Logger, what: string): Promise<CommandResult> {
  let result: CommandResult;
  try {
    result = await runCommand('npm', args, cwd, logger);
  } catch (error) {
    throw hostError(
      'VHB_E_PLUGIN_INSTALL',
      `cannot run npm: ${(error as Error).message}`,
      'install Node.js with npm and put npm on the PATH',
      error,
    );
  }
  if (result.code === 0) return result;
  const output = usefulOutput(result.stderr || result.stdout);
  const code = /npm (?:error|ERR!) code (\S+)/.exec(result.stderr)?.[1] ?? '';
  if (notFoundCodes.has(code)) {
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `${what}: npm cannot find it (${code}):\n${output}`,
      'check the package name and version, and that it is published to that registry',
    );
  }
  const hint = unreachableCodes.has(code)
    ? 'check that the registry is running and reachable (npmRegistry, or the source\'s "registry")'
    : code === 'E401' || code === 'E403' || code === 'ENEEDAUTH'
      ? 'log in to the registry (npm login --registry <url>) or put its token in your npmrc'
      : "read npm's message above; run the same npm command by hand to see the full log";
  throw hostError('VHB_E_PLUGIN_INSTALL', `${what} failed (exit ${result.code}${code ? `, ${code}` : ''}):\n${output}`, hint);
}

/** One package of an npm install, as npm's lock resolved it. */
export interface InstalledNpmPackage {
  /** Package folder, relative to the install folder. */
  packageDir: string;
  version: string;
  integrity?: string;
}

/**
 * Installs each `<package>@<version>` with its production dependencies into `installDir` in one npm
 * call (so packages share what they have in common, @vhb/sdk first of all). The folder gets a
 * throwaway package.json, so npm never walks up into the user's project. Returns each package's
 * resolved version and integrity from the lock npm wrote, in the order given.
 */
export async function installNpmPackages(
  sources: readonly NpmSource[],
  registry: string | undefined,
  installDir: string,
  logger: Logger,
): Promise<InstalledNpmPackage[]> {
  await writeFile(
    join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'vhb-plugin-install', version: '0.0.0', private: true, description: 'Installed by the VLMHyperBench plugin host' }, null, 2)}\n`,
  );
  const specs = sources.map((source) => `${source.package}@${source.version}`);
  logger.info(`installing ${specs.join(', ')}${registry ? ` from ${registry}` : ''}`);
  await runNpm(
    ['install', ...specs, '--no-audit', '--no-fund', '--omit=dev', ...registryArgs(registry)],
    installDir,
    logger,
    `npm install ${specs.join(' ')}`,
  );
  const locked = await lockedPackages(installDir);
  return Promise.all(
    sources.map(async (source) => {
      const packageDir = join('node_modules', ...source.package.split('/'));
      const entry = locked[packageDir.split('\\').join('/')] ?? {};
      const version = entry.version ?? (await readPackageJson(join(installDir, packageDir))).version ?? source.version;
      return { packageDir, version, ...(entry.integrity ? { integrity: entry.integrity } : {}) };
    }),
  );
}

/** Installs one package into a cache folder of its own: the marker npm sources are cached under. */
export async function installNpmPackage(
  source: NpmSource,
  registry: string | undefined,
  stagingDir: string,
  logger: Logger,
): Promise<Omit<InstallMarker, 'installedAt'>> {
  const [installed] = await installNpmPackages([source], registry, stagingDir, logger);
  return { ...(installed as InstalledNpmPackage), source };
}

type LockPackages = Record<string, { version?: string; integrity?: string }>;

async function lockedPackages(installDir: string): Promise<LockPackages> {
  try {
    const lock = JSON.parse(await readFile(join(installDir, 'package-lock.json'), 'utf8')) as { packages?: LockPackages };
    return lock.packages ?? {};
  } catch {
    // npm configured with package-lock=false writes no lock; versions then come from package.json.
    return {};
  }
}
