import { isVhbError, VhbError } from '@vhb/sdk';

/** Error codes the plugin host raises; every message names the registry entry, its file and its source. */
export const hostErrorCodes = {
  VHB_E_PLUGIN_RESOLVE:
    'A plugin source cannot be found: missing folder or package.json, unknown npm package or version, unknown git ref, or no built entry file',
  VHB_E_PLUGIN_INSTALL: 'Installing a plugin package failed (npm install, git clone, or its build)',
  VHB_E_PLUGIN_IMPORT: "Importing a plugin's entry file threw",
  VHB_E_PLUGIN_INVALID: "A plugin's default export or package.json#vhb does not match the plugin contract",
} as const;

export type HostErrorCode = keyof typeof hostErrorCodes;

/** An error raised below the host, before it knows which registry entry asked; `withContext` adds that. */
export function hostError(code: HostErrorCode, message: string, hint: string, cause?: unknown): VhbError {
  return new VhbError(code, message, { hint, cause });
}

/**
 * Prefixes an error with the registry entry, file and source it happened for. Errors that are not
 * the host's own (a full disk, a permission) become VHB_E_PLUGIN_INSTALL with the original as cause.
 */
export function withContext(error: unknown, where: string): VhbError {
  if (isVhbError(error) && error.code in hostErrorCodes) {
    return new VhbError(error.code, `${where}: ${error.message}`, { hint: error.hint, cause: error.cause ?? error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new VhbError('VHB_E_PLUGIN_INSTALL', `${where}: ${message}`, {
    hint: 'check that the cache folder is writable and the disk has room, then try again',
    cause: error,
  });
}
