import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PLUGIN_KINDS, type PluginKind } from '@vhb/sdk';
import { exports as resolveExports } from 'resolve.exports';
import { hostError } from './errors.js';
import type { PackageVhb } from './types.js';

/** The fields of package.json the host reads. */
export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  vhb?: unknown;
}

export async function readPackageJson(packageDir: string): Promise<PackageJson> {
  const file = join(packageDir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw hostError(
      'VHB_E_PLUGIN_RESOLVE',
      `no package.json in ${packageDir}`,
      'point the source at the folder that holds the package.json',
      error,
    );
  }
  try {
    return JSON.parse(text) as PackageJson;
  } catch (error) {
    throw hostError('VHB_E_PLUGIN_RESOLVE', `${file} is not valid JSON: ${(error as Error).message}`, 'fix the package.json', error);
  }
}

/**
 * Reads `package.json#vhb` ({kind, contract}): what the package declares it provides, so the host
 * can refuse a mismatch before importing anything. Undefined when the package declares nothing.
 */
export async function packageJsonVhb(packageDir: string): Promise<PackageVhb | undefined> {
  const { vhb } = await readPackageJson(packageDir);
  if (vhb === undefined) return undefined;
  const file = join(packageDir, 'package.json');
  if (typeof vhb !== 'object' || vhb === null || Array.isArray(vhb)) {
    throw hostError(
      'VHB_E_PLUGIN_INVALID',
      `${file}: "vhb" is ${JSON.stringify(vhb)}, expected an object`,
      'write "vhb": { "kind": "metric", "contract": 1 }',
    );
  }
  const { kind, contract } = vhb as Record<string, unknown>;
  if (kind !== undefined && !PLUGIN_KINDS.includes(kind as PluginKind)) {
    throw hostError('VHB_E_PLUGIN_INVALID', `${file}: vhb.kind is ${JSON.stringify(kind)}`, `use one of ${PLUGIN_KINDS.join(', ')}`);
  }
  if (contract !== undefined && !Number.isInteger(contract)) {
    throw hostError(
      'VHB_E_PLUGIN_INVALID',
      `${file}: vhb.contract is ${JSON.stringify(contract)}`,
      'use the contract version number, e.g. 1',
    );
  }
  return { kind: kind as PluginKind | undefined, contract: contract as number | undefined };
}

/** The JS file `import(<package>)` would load: `exports["."]` for import/node, else `main`, else index.js. */
export function entryOf(packageDir: string, pkg: PackageJson): string {
  let target: string | undefined;
  if (pkg.exports !== undefined) {
    try {
      target = resolveExports(pkg, '.', { conditions: ['import', 'node', 'default'] })?.[0];
    } catch (error) {
      throw hostError(
        'VHB_E_PLUGIN_RESOLVE',
        `${join(packageDir, 'package.json')}: "exports" has no "." entry for import (${(error as Error).message})`,
        'add "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } }',
        error,
      );
    }
  }
  return resolve(packageDir, target ?? pkg.main ?? 'index.js');
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The entry file path relative to its package, for messages (`dist/index.js`). */
export function entryLabel(packageDir: string, entryFile: string): string {
  return relative(packageDir, entryFile).split('\\').join('/');
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
