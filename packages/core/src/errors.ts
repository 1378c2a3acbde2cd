import { hostErrorCodes } from './host/errors.js';

/** Codes for finding and reading the project config. */
export const configErrorCodes = {
  VHB_E_CONFIG_LOAD: 'The project config file could not be read or parsed',
  VHB_E_CONFIG_INVALID: 'The project config does not match its schema',
  VHB_E_CONFIG_RUN_MODE: 'The RUN_MODE environment variable is neither "prod" nor "dev"',
} as const;

/** Codes of registry diagnostics (and of the one error loading registries throws). */
export const registryErrorCodes = {
  VHB_E_REGISTRY_DIR: 'The registries folder does not exist or is not a folder',
  VHB_E_REGISTRY_READ: 'A registry file or folder could not be read',
  VHB_E_REGISTRY_IGNORED_FILE: 'A file or folder under the registries folder is not read (wrong extension or unknown kind)',
  VHB_E_REGISTRY_YAML: 'A registry file is not valid YAML',
  VHB_E_REGISTRY_MULTI_DOC: 'A registry file holds more than one YAML document',
  VHB_E_REGISTRY_SCHEMA: 'A registry entry does not match the schema of its kind',
  VHB_E_REGISTRY_UNKNOWN_KEY: 'A registry entry has a key its kind does not define',
  VHB_E_REGISTRY_DUPLICATE: 'Two files of one kind define the same name; the later file wins',
  VHB_E_REGISTRY_UNKNOWN_REF: 'An entry names another entry that is not defined',
  VHB_E_REGISTRY_KIND_MISMATCH: 'An entry names a package entry of the wrong kind',
  VHB_E_REGISTRY_UNKNOWN_PLAN: 'The experiment plan asked for is neither a defined experiment nor a readable file',
  VHB_E_REGISTRY_PROMPT_VARIABLE: 'A prompt template uses a variable that is not one of the allowed forms',
  VHB_E_REGISTRY_PROMPT_TIE: 'Two prompt rules of equal specificity could both match one item',
} as const;

/**
 * Every error code @vhb/core raises or reports, with a one-line description.
 * `docs/errors.md` documents each one; a test keeps the two in sync.
 */
export const coreErrorCodes = { ...configErrorCodes, ...registryErrorCodes, ...hostErrorCodes } as const;

export type CoreErrorCode = keyof typeof coreErrorCodes;
export type RegistryErrorCode = keyof typeof registryErrorCodes;
