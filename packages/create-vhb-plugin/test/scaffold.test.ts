import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, runCli, scaffold } from '../src/index.js';

const sdkDir = resolve(fileURLToPath(import.meta.url), '../../../sdk');
const sdkSpec = `file:${sdkDir}`;
let cwd = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'create-vhb-plugin-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

/** Runs the CLI with captured output; stdin is a TTY only when answers are given, one typed per question asked. */
async function cli(argv: string[], answers?: string[]) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (answers !== undefined) stdin.isTTY = true;
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdin,
    stdout: {
      write: (text: string) => {
        out += text;
        if (text.endsWith(': ')) setImmediate(() => stdin.write(`${answers?.shift() ?? ''}\n`));
      },
    },
    stderr: { write: (text: string) => (err += text) },
    cwd,
  });
  return { code, out, err };
}

describe.each(KINDS)('scaffold --kind %s', (kind) => {
  it('writes the package files and a package.json for the contract', async () => {
    const name = `@acme/${kind}-demo-one`;
    const { code, out } = await cli([name, '--kind', kind, '--sdk', sdkSpec]);
    expect(code).toBe(0);
    const folder = `${kind}-demo-one`;
    expect(out).toContain(`Created ${kind} plugin "demo-one" (${name})`);
    const dir = join(cwd, folder);
    const files = [
      '.gitignore',
      'README.md',
      'package.json',
      `registry/${folder}.yaml`,
      'src/index.ts',
      `test/${folder}.test.ts`,
      'tsconfig.json',
      ...(kind === 'metric' ? ['src/bin.ts'] : []),
    ];
    for (const file of files) expect((await readFile(join(dir, file), 'utf8')).length).toBeGreaterThan(0);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name,
      version: '0.1.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist'],
      keywords: ['vhb-plugin', `vhb-${kind}`],
      vhb: { kind, contract: 1 },
      scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
      dependencies: { '@vhb/sdk': sdkSpec },
      devDependencies: { '@types/node': '^20.19.0', typescript: '^7.0.2', vitest: '^4.1.12' },
    });
    expect(Object.keys(pkg.dependencies)).toEqual(['@vhb/sdk']);
    if (kind === 'metric') expect(pkg.bin).toEqual({ 'vhb-metric-demo-one': './dist/bin.js' });
    else expect(pkg.bin).toBeUndefined();
    const index = await readFile(join(dir, 'src/index.ts'), 'utf8');
    expect(index).toContain(`define${kind[0]?.toUpperCase()}${kind.slice(1)}`);
    expect(index).toContain("name: 'demo-one'");
    expect(await readFile(join(dir, `registry/${folder}.yaml`), 'utf8')).toContain(`name: ${folder}\nkind: ${kind}\n`);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toMatch(/## Contract\n\n`export default define/);
  });
});

describe('scaffold', () => {
  it('defaults the sdk dependency to ^0.1.0', async () => {
    const result = await scaffold({ name: 'metric-default-sdk', kind: 'metric', cwd });
    const pkg = JSON.parse(await readFile(join(result.dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ '@vhb/sdk': '^0.1.0' });
  });

  it('refuses a folder that is not empty, and accepts an empty one', async () => {
    await mkdir(join(cwd, 'metric-taken'));
    await writeFile(join(cwd, 'metric-taken', 'keep.txt'), 'mine');
    const { code, err } = await cli(['metric-taken', '--kind', 'metric']);
    expect(code).toBe(1);
    expect(err).toMatch(/VHB_E_CREATE_EXISTS: .*metric-taken exists and is not empty/);
    expect(await readFile(join(cwd, 'metric-taken', 'keep.txt'), 'utf8')).toBe('mine');
    await mkdir(join(cwd, 'metric-empty'));
    expect((await cli(['metric-empty', '--kind', 'metric'])).code).toBe(0);
  });
});

describe('cli', () => {
  it('prints the usage for --help', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: create-vhb-plugin <name> --kind metric|dataset|task|adapter|reporter');
  });

  it.each([
    [[], /VHB_E_CREATE_USAGE: missing a package name and --kind \(stdin is not a terminal/],
    [['metric-x'], /VHB_E_CREATE_USAGE: missing --kind/],
    [['--kind', 'metric'], /VHB_E_CREATE_USAGE: missing a package name\b/],
    [['a', 'b', '--kind', 'metric'], /VHB_E_CREATE_USAGE: one name expected/],
    [['metric-x', '--kind', 'metric', '--colour'], /VHB_E_CREATE_USAGE: .*--colour/],
    [['metric-x', '--kind', 'metrik'], /VHB_E_CREATE_KIND: unknown kind "metrik"/],
    [['Metric-X', '--kind', 'metric'], /VHB_E_CREATE_NAME: invalid package name "Metric-X"/],
    [['metric-x', '--kind', 'metric', '--sdk', ' '], /VHB_E_CREATE_USAGE: --sdk is empty/],
  ])('without a terminal, %j fails with a clear error', async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(1);
    expect(err).toMatch(message);
  });

  it('asks for the name and kind in a terminal; an empty kind answer means metric', async () => {
    const asked = await cli([], ['reporter-asked', 'reporter']);
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('Package name');
    expect(asked.out).toContain('Created reporter plugin "asked" (reporter-asked)');
    const defaulted = await cli(['metric-asked'], ['']);
    expect(defaulted.code).toBe(0);
    expect(defaulted.out).toContain('Created metric plugin "asked" (metric-asked)');
  });
});
