export type { VerdaccioPaths } from './config.js';
export { npmrcFor, verdaccioConfig } from './config.js';
export { findFreePort } from './free-port.js';
export type { PublishedWorkspace, PublishWorkspaceOptions } from './publish.js';
export { publishWorkspace, selectPackages } from './publish.js';
export type { LocalRegistry, StartVerdaccioOptions } from './verdaccio.js';
export { startVerdaccio } from './verdaccio.js';
export type { WorkspacePackage } from './workspace.js';
export { packSdkDependencies, publishSdk, workspacePackages } from './workspace.js';
