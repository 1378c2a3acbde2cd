import { join, normalize, sep } from 'node:path';
import type { Logger } from '@vhb/sdk';
import type { InstallMarker } from './cache.js';
import { hostError } from './errors.js';
import { runCommand, usefulOutput } from './exec.js';
import { registryArgs, runNpm } from './npm.js';
import { entryLabel, entryOf, isFile, readPackageJson } from './package-json.js';
import type { GitSource } from './types.js';

async function git(args: string[], cwd: string, logger: Logger) {
  try {
    // Never wait on a password prompt nobody will answer.
    return await runCommand('git', args, cwd, logger, { GIT_TERMINAL_PROMPT: '0' });
  } catch (error) {
    throw hostError('VHB_E_PLUGIN_INSTALL', `cannot run git: ${(error as Error).message}`, 'install git and put it on the PATH', error);
  }
}

/**
 * The commit a ref points to on the remote, asked with `git ls-remote` so a cached clone of a
 * branch that moved is not reused. Undefined for an abbreviated commit, which only a clone can expand.
 */
export async function resolveGitRef(url: string, ref: string, cwd: string, logger: Logger): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
  const result = await git(['ls-remote', url, ref], cwd, logger);
  if (result.code !== 0) {
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `git ls-remote ${url} failed:\n${usefulOutput(result.stderr)}`,
      'check the repository URL and that you can clone it (credentials, network)',
    );
  }
  const refs = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [sha, name] = line.trim().split(/\s+/);
    if (sha && name) refs.set(name, sha);
  }
  // An annotated tag's own object is not a commit; its peeled form (^{}) is.
  const candidates = [`refs/tags/${ref}^{}`, `refs/tags/${ref}`, `refs/heads/${ref}`, ref];
  const found = candidates.map((name) => refs.get(name)).find(Boolean);
  if (found) return found;
  if (/^[0-9a-f]{7,39}$/i.test(ref)) return undefined;
  throw hostError(
    'VHB_E_PLUGIN_RESOLVE',
    `ref "${ref}" is not a branch, tag or commit of ${url}`,
    `list the refs with \`git ls-remote ${url}\` and use one of them`,
  );
}

/** Checks that a subdirectory stays inside the clone. */
function safeSubdirectory(subdirectory: string | undefined): string {
  const normalised = normalize(subdirectory ?? '.');
  if (normalised.startsWith('..') || normalised.startsWith(sep) || /^[A-Za-z]:/.test(normalised)) {
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `subdirectory "${subdirectory}" leaves the repository`,
      'give a path inside the repository, like plugins/metric-cer',
    );
  }
  return normalised;
}

/**
 * Clones the repository into `stagingDir/repo` at the commit, then makes the package usable:
 * installs its production dependencies, or builds it when its entry file is not committed.
 */
export async function installGitPackage(
  source: GitSource,
  url: string,
  commit: string | undefined,
  registry: string | undefined,
  stagingDir: string,
  logger: Logger,
): Promise<Omit<InstallMarker, 'installedAt'>> {
  const subdirectory = safeSubdirectory(source.subdirectory);
  logger.info(`cloning ${url}#${source.ref}`);
  const clone = await git(['clone', '--quiet', '--no-checkout', url, 'repo'], stagingDir, logger);
  if (clone.code !== 0) {
    throw hostError(
      'VHB_E_PLUGIN_INSTALL',
      `git clone ${url} failed:\n${usefulOutput(clone.stderr)}`,
      'check the repository URL and your access to it',
    );
  }
  const repo = join(stagingDir, 'repo');
  const checkout = await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', commit ?? source.ref], repo, logger);
  if (checkout.code !== 0) {
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `git checkout ${source.ref} failed:\n${usefulOutput(checkout.stderr)}`,
      'use a branch, tag or commit that exists in the repository',
    );
  }
  const head = (await git(['rev-parse', 'HEAD'], repo, logger)).stdout.trim();

  const packageDir = join(repo, subdirectory);
  const pkg = await readPackageJson(packageDir);
  const entry = entryOf(packageDir, pkg);
  if (!(await isFile(entry)) && pkg.scripts?.build) {
    await runNpm(['install', '--no-audit', '--no-fund', ...registryArgs(registry)], packageDir, logger, `npm install in ${subdirectory}`);
    await runNpm(['run', 'build'], packageDir, logger, `npm run build in ${subdirectory}`);
  } else if (Object.keys(pkg.dependencies ?? {}).length > 0) {
    await runNpm(
      ['install', '--omit=dev', '--no-audit', '--no-fund', ...registryArgs(registry)],
      packageDir,
      logger,
      `npm install --omit=dev in ${subdirectory}`,
    );
  }
  if (!(await isFile(entry))) {
    const label = entryLabel(packageDir, entry);
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `${subdirectory} at ${head.slice(0, 12)} has no entry file ${label}${pkg.scripts?.build ? ' even after `npm run build`' : ''}`,
      pkg.scripts?.build ? `make \`npm run build\` write ${label}` : `commit ${label}, or add a "build" script that writes it`,
    );
  }
  return { packageDir: join('repo', subdirectory), version: pkg.version ?? '0.0.0', commit: head, source };
}
