import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('create-vhb-plugin', () => {
  it('pins its public exports', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'CreateError',
      'KINDS',
      'USAGE',
      'VERSIONS',
      'createErrorCodes',
      'parseKind',
      'pluginNames',
      'runCli',
      'scaffold',
      'scaffoldFiles',
    ]);
    expect(mod.KINDS).toEqual(['metric', 'dataset', 'task', 'adapter', 'reporter']);
  });

  it('scaffolds with the versions this repository builds with', async () => {
    const root = await readJson(join(here, '../../../package.json'));
    const sdk = await readJson(join(here, '../../sdk/package.json'));
    expect(mod.VERSIONS.typescript).toBe(root.devDependencies.typescript);
    expect(mod.VERSIONS.vitest).toBe(root.devDependencies.vitest);
    expect(mod.VERSIONS.typesNode).toBe(root.devDependencies['@types/node']);
    expect(mod.VERSIONS.sdk).toBe(`^${sdk.version}`);
  });

  it('documents every error code in the README', async () => {
    const readme = await readFile(join(here, '../README.md'), 'utf8');
    for (const code of Object.keys(mod.createErrorCodes)) expect(readme).toContain(code);
  });
});
