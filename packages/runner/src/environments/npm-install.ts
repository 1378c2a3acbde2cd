import type { SetupRequest } from './contract.js';
import { environmentError } from './environment-errors.js';
import { LineTail } from './lines.js';

/** The package.json of a plugin folder, so npm installs there and never walks up into someone's project. */
export const PLUGIN_FOLDER_MANIFEST = `${JSON.stringify(
  { name: 'vhb-environment', version: '0.0.0', private: true, description: 'Plugins installed by a VLMHyperBench environment' },
  null,
  2,
)}\n`;

/** The npm arguments that install `packages` (production dependencies only) from `registry`. */
export function npmInstallArgs(packages: readonly string[], registry: string | undefined): string[] {
  return [
    'install',
    ...packages,
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    ...(registry ? ['--registry', `${registry.replace(/\/+$/, '')}/`] : []),
  ];
}

/**
 * Installs the request's packages with `npm install`, run by `run` (a child process, a container),
 * each output line passed on to `request.onLog`. A non-zero exit throws VHB_E_ENV_SETUP with the
 * last lines; `where` (` in image …`) and `hint` (what else to check) complete its message.
 */
export async function npmInstall(
  request: SetupRequest,
  where: string,
  hint: string,
  run: (command: string[], onLog: (line: string, stream: 'stdout' | 'stderr') => void) => Promise<number>,
): Promise<void> {
  const tail = new LineTail();
  const exitCode = await run(['npm', ...npmInstallArgs(request.packages, request.registry)], (line, stream) => {
    tail.push(line);
    request.onLog?.(line, stream);
  });
  if (exitCode !== 0) {
    throw environmentError(
      'VHB_E_ENV_SETUP',
      `npm install ${request.packages.join(' ')}${where} failed (exit ${exitCode}):\n${tail}`,
      `check that the packages are published at those versions to the registry, ${hint}`,
    );
  }
}
