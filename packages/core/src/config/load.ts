import { dirname, parse as parsePath, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VhbError } from '@vhb/sdk';
import { type CosmiconfigResult, cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { parse as parseYaml } from 'yaml';
import { closestWithin } from '../registry/suggest.js';
import { type ProjectConfig, projectConfigFileSchema, RUN_MODES, type RunMode } from './schema.js';

const MODULE = 'vhb';

// Dedicated files come before package.json so that a plugin's own `vhb` manifest never hides them.
const SEARCH_PLACES = [
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `.${MODULE}rc.js`,
  `.${MODULE}rc.mjs`,
  `.${MODULE}rc.ts`,
  `${MODULE}.config.ts`,
  `${MODULE}.config.js`,
  `${MODULE}.config.mjs`,
  `${MODULE}.config.json`,
  `${MODULE}.config.yaml`,
  `${MODULE}.config.yml`,
  'package.json',
];

const loadYaml: Loader = (_filepath, content) => parseYaml(content);

// cosmiconfig's own .ts loader needs the TypeScript compiler API, which TypeScript 7 no longer ships;
// Node itself (type stripping) or a TS-aware runner (vitest, tsx) can import the file directly.
const loadTs: Loader = async (filepath) => {
  const module = (await import(pathToFileURL(filepath).href)) as { default?: unknown };
  return module.default;
};

export interface LoadProjectConfigOptions {
  /** Environment to read RUN_MODE from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Last folder searched (inclusive); defaults to the filesystem root. */
  stopDir?: string;
}

function* upward(from: string, stopDir: string | undefined): Generator<string> {
  let dir = from;
  const stop = stopDir === undefined ? parsePath(from).root : resolve(stopDir);
  while (true) {
    yield dir;
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return;
    dir = parent;
  }
}

/** A package.json `vhb` key holding `kind` is a plugin's manifest, not a project config. */
function isPluginManifest(result: NonNullable<CosmiconfigResult>): boolean {
  const config = result.config as Record<string, unknown> | null;
  return result.filepath.endsWith('package.json') && typeof config === 'object' && config !== null && 'kind' in config;
}

async function findConfig(cwd: string, stopDir: string | undefined): Promise<CosmiconfigResult> {
  const explorer = cosmiconfig(MODULE, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'none',
    cache: false,
    loaders: { ...defaultLoaders, '.yaml': loadYaml, '.yml': loadYaml, noExt: loadYaml, '.ts': loadTs },
  });
  for (const dir of upward(cwd, stopDir)) {
    let result: CosmiconfigResult;
    try {
      result = await explorer.search(dir);
    } catch (error) {
      const file = (error as { filepath?: string }).filepath ?? dir;
      throw new VhbError('VHB_E_CONFIG_LOAD', `cannot load the project config ${file}: ${(error as Error).message}`, {
        hint: file.endsWith('.ts')
          ? 'a .ts config needs Node >= 22.18 or a TypeScript runner; use vhb.config.mjs, .json or .yaml instead'
          : 'fix the syntax of that file',
        cause: error,
      });
    }
    if (result && !isPluginManifest(result)) return result;
  }
  return null;
}

function runModeFrom(env: Record<string, string | undefined>): RunMode | undefined {
  const value = env.RUN_MODE;
  if (value === undefined || value === '') return undefined;
  if ((RUN_MODES as readonly string[]).includes(value)) return value as RunMode;
  throw new VhbError('VHB_E_CONFIG_RUN_MODE', `RUN_MODE is "${value}", expected "prod" or "dev"`, {
    hint: 'set RUN_MODE=prod or RUN_MODE=dev, or unset it to use the config',
  });
}

function parseConfigFile(result: NonNullable<CosmiconfigResult>) {
  const parsed = projectConfigFileSchema.safeParse(result.config ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.');
  let hint = `see the project config keys: ${Object.keys(projectConfigFileSchema.shape).join(', ')}`;
  if (issue?.code === 'unrecognized_keys') {
    const near = closestWithin(issue.keys[0] as string, Object.keys(projectConfigFileSchema.shape));
    if (near) hint = `did you mean "${near}"?`;
  }
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new VhbError('VHB_E_CONFIG_INVALID', `project config ${result.filepath}${field ? ` (${field})` : ''} is invalid: ${problems}`, {
    hint,
  });
}

/**
 * Finds the project config upward from `cwd` (`.vhbrc*`, `vhb.config.*`, or the `vhb` key of
 * package.json) and resolves it; RUN_MODE overrides `runMode`. No config: the cwd with defaults.
 */
export async function loadProjectConfig(cwd: string = process.cwd(), options: LoadProjectConfigOptions = {}): Promise<ProjectConfig> {
  const from = resolve(cwd);
  const result = await findConfig(from, options.stopDir);
  const file = result ? parseConfigFile(result) : {};
  const root = result ? dirname(result.filepath) : from;
  const config: ProjectConfig = {
    root,
    runMode: runModeFrom(options.env ?? process.env) ?? file.runMode ?? 'prod',
    registriesDir: resolve(root, file.registriesDir ?? 'registries'),
    resultsDir: resolve(root, file.resultsDir ?? 'results'),
    cacheDir: resolve(root, file.cacheDir ?? '.vhb-cache'),
  };
  if (file.npmRegistry !== undefined) config.npmRegistry = file.npmRegistry;
  if (result) config.configFile = result.filepath;
  return config;
}
