export type { CliIo } from './cli.js';
export { runCli, USAGE } from './cli.js';
export type { CreateErrorCode } from './errors.js';
export { CreateError, createErrorCodes } from './errors.js';
export type { Kind, PluginNames } from './names.js';
export { KINDS, parseKind, pluginNames } from './names.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js';
export { scaffold, scaffoldFiles } from './scaffold.js';
export { VERSIONS } from './versions.js';
