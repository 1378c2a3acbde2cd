import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { VhbError } from '@vhb/sdk';

/** The Apptainer (or Singularity) program found, and how it takes environment variables for the container. */
export interface ApptainerBinary {
  /** Absolute path of the executable. */
  path: string;
  flavor: 'apptainer' | 'singularity';
  /** Variables named `<prefix>NAME` in the program's own environment become `NAME` in the container, even with `--cleanenv`. */
  envPrefix: 'APPTAINERENV_' | 'SINGULARITYENV_';
}

const INSTALL_HINT =
  'install Apptainer (https://apptainer.org/docs/admin/main/installation.html) or load its module, or set the `binary` option to its path';

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return resolve(candidate);
  }
  return undefined;
}

function described(path: string): ApptainerBinary {
  // Singularity (SingularityCE, the 3.x line) reads SINGULARITYENV_*; Apptainer reads APPTAINERENV_* (and warns on the old names).
  const flavor = basename(path).includes('singularity') ? 'singularity' : 'apptainer';
  return { path, flavor, envPrefix: flavor === 'singularity' ? 'SINGULARITYENV_' : 'APPTAINERENV_' };
}

/**
 * The program to run: `binary` when given (a path, or a name looked up on PATH), else `apptainer`
 * on PATH, else `singularity` on PATH. Throws VHB_E_APPTAINER_NOT_FOUND when there is none.
 */
export async function findApptainer(binary: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ApptainerBinary> {
  if (binary !== undefined) {
    const path = binary.includes('/') ? (isAbsolute(binary) ? binary : resolve(binary)) : await onPath(binary, env);
    if (path && (await isExecutable(path))) return described(path);
    throw new VhbError('VHB_E_APPTAINER_NOT_FOUND', `the Apptainer program ${JSON.stringify(binary)} was not found or is not executable`, {
      hint: INSTALL_HINT,
    });
  }
  for (const name of ['apptainer', 'singularity']) {
    const path = await onPath(name, env);
    if (path) return described(path);
  }
  throw new VhbError('VHB_E_APPTAINER_NOT_FOUND', `neither "apptainer" nor "singularity" is on PATH (${JSON.stringify(env.PATH ?? '')})`, {
    hint: INSTALL_HINT,
  });
}
