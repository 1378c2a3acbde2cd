import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CreateError } from './errors.js';
import { type Kind, type PluginNames, parseKind, pluginNames } from './names.js';
import { gitignore, metricBin, packageJson, readme, registryEntry, tsconfig } from './templates/common.js';
import { templates } from './templates/index.js';
import { VERSIONS } from './versions.js';

export interface ScaffoldOptions {
  /** npm package name; the folder created is its unscoped part. */
  name: string;
  kind: Kind | string;
  /** `@vhb/sdk` dependency spec; default `^0.1.0`. */
  sdk?: string;
  /** Folder the package folder is created in; default the current one. */
  cwd?: string;
}

export interface ScaffoldResult extends PluginNames {
  kind: Kind;
  /** Absolute folder of the new package. */
  dir: string;
  /** Files written, relative to `dir`, sorted. */
  files: string[];
}

/** The files of a new plugin package, by path relative to its folder. */
export function scaffoldFiles(names: PluginNames, kind: Kind, sdk: string = VERSIONS.sdk): Record<string, string> {
  const template = templates[kind];
  const input = { names, kind, sdk };
  const files: Record<string, string> = {
    'package.json': packageJson(input, template),
    'tsconfig.json': tsconfig(),
    '.gitignore': gitignore(),
    'README.md': readme(input, template),
    'src/index.ts': template.index(names),
    [`test/${names.folder}.test.ts`]: template.test(names),
    [`registry/${names.folder}.yaml`]: registryEntry(input, template),
  };
  if (kind === 'metric') files['src/bin.ts'] = metricBin();
  return files;
}

/** Writes a new plugin package into `<cwd>/<folder>`; refuses a folder that exists and is not empty. */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const kind = parseKind(options.kind);
  const names = pluginNames(options.name, kind);
  const sdk = options.sdk ?? VERSIONS.sdk;
  if (sdk.trim() === '')
    throw new CreateError('VHB_E_CREATE_USAGE', '--sdk is empty', 'give a version range or a file: path, e.g. --sdk ^0.1.0');
  const dir = resolve(options.cwd ?? process.cwd(), names.folder);
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') return [names.folder];
    throw error;
  });
  if (existing.length > 0) {
    throw new CreateError(
      'VHB_E_CREATE_EXISTS',
      `${dir} exists and is not empty`,
      'pick another name, or remove or empty that folder first',
    );
  }
  const files = scaffoldFiles(names, kind, sdk);
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return { ...names, kind, dir, files: Object.keys(files).sort() };
}
