export type { LoadProjectConfigOptions } from './load.js';
export { loadProjectConfig } from './load.js';
export type { ProjectConfig, ProjectConfigFile, RunMode } from './schema.js';
export { projectConfigFileSchema, RUN_MODES } from './schema.js';
