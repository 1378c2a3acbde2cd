export type { PreparedEnvironment } from './environment.js';
export type { HostErrorCode } from './errors.js';
export { hostErrorCodes } from './errors.js';
export { maskSecrets } from './mask.js';
export { packageJsonVhb } from './package-json.js';
export { PluginHost } from './plugin-host.js';
export { describeSource } from './source.js';
export type {
  DependencySource,
  GitSource,
  LoadedPlugin,
  LoadRequest,
  LocalSource,
  NpmSource,
  PackageVhb,
  PluginHostOptions,
} from './types.js';
