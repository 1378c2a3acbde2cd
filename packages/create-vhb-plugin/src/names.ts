import { CreateError } from './errors.js';

/** The plugin kinds a package can provide (the same list as PLUGIN_KINDS in @vhb/sdk). */
export const KINDS = ['metric', 'dataset', 'task', 'adapter', 'reporter'] as const;
export type Kind = (typeof KINDS)[number];

/** What a package name gives: the npm name, the folder to create and the plugin's kebab-case name. */
export interface PluginNames {
  /** The npm package name, as given (`@acme/metric-length-ratio`, `vhb-metric-foo`). */
  packageName: string;
  /** The name without its scope: the folder created under the current one. */
  folder: string;
  /** The plugin's `name`: the folder name without a leading `vhb-` and `<kind>-`, kebab-case. */
  pluginName: string;
}

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
// npm's rules for new packages (validate-npm-package-name): lowercase, URL-safe, no leading . or _.
const NPM_PART = /^[a-z0-9~-][a-z0-9._~-]*$/;

/** Checks `--kind`; throws VHB_E_CREATE_KIND naming the value otherwise. */
export function parseKind(value: string): Kind {
  if ((KINDS as readonly string[]).includes(value)) return value as Kind;
  throw new CreateError('VHB_E_CREATE_KIND', `unknown kind ${JSON.stringify(value)}`, `use --kind ${KINDS.join('|')}`);
}

/** Validates an npm package name and derives the folder and plugin name from it. */
export function pluginNames(packageName: string, kind: Kind): PluginNames {
  const bad = (why: string): never => {
    throw new CreateError(
      'VHB_E_CREATE_NAME',
      `invalid package name ${JSON.stringify(packageName)}: ${why}`,
      'use a lowercase kebab-case name such as metric-length-ratio or @acme/metric-length-ratio',
    );
  };
  if (packageName.length === 0) bad('it is empty');
  if (packageName.length > 214) bad('npm names are at most 214 characters');
  if (packageName.trim() !== packageName) bad('it has leading or trailing spaces');
  if (packageName.toLowerCase() !== packageName) bad('npm names are lowercase');
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(packageName);
  if (packageName.startsWith('@') && !scoped) bad('a scoped name is @scope/name');
  const scope = scoped?.[1];
  const folder = scoped?.[2] ?? packageName;
  if (scope !== undefined && !NPM_PART.test(scope)) bad(`the scope ${JSON.stringify(scope)} has characters npm does not allow`);
  if (folder.startsWith('.') || folder.startsWith('_')) bad('npm names cannot start with . or _');
  if (!NPM_PART.test(folder)) bad('npm names hold only a-z, 0-9, -, ., _ and ~');
  if (['node_modules', 'favicon.ico'].includes(folder)) bad('npm reserves this name');
  let pluginName = folder.replace(/^vhb-/, '');
  if (pluginName.startsWith(`${kind}-`) && pluginName.length > kind.length + 1) pluginName = pluginName.slice(kind.length + 1);
  if (!KEBAB.test(pluginName))
    bad(`the plugin name ${JSON.stringify(pluginName)} derived from it is not kebab-case (a-z, 0-9, single dashes)`);
  return { packageName, folder, pluginName };
}
