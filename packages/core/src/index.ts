export * from './config/index.js';
export type { CoreErrorCode, RegistryErrorCode } from './errors.js';
export { configErrorCodes, coreErrorCodes, registryErrorCodes } from './errors.js';
export * from './host/index.js';
// Both the host and the registry describe a package source; the registry's schema is where it is defined.
export type { DependencySource } from './registry/index.js';
export * from './registry/index.js';
