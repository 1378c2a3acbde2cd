import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold } from '../src/index.js';

const run = promisify(execFile);
const packageDir = resolve(fileURLToPath(import.meta.url), '../..');
const bin = (name: string) => join(packageDir, 'node_modules/.bin', name);
let cwd = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'create-vhb-plugin-kinds-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

// The non-metric examples, checked without an npm install: their node_modules is a link to this
// package's (which holds @vhb/sdk, typescript, vitest and @types/node at the scaffolded versions).
describe.each(['dataset', 'task', 'adapter', 'reporter'] as const)('the scaffolded %s example', (kind) => {
  it('typechecks (src and test) and passes its own tests', async () => {
    const { dir } = await scaffold({ name: `${kind}-example`, kind, cwd });
    await symlink(join(packageDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(
      join(dir, 'tsconfig.check.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true, rootDir: '.' }, include: ['src', 'test'] }),
    );
    await run(bin('tsc'), ['-p', 'tsconfig.check.json'], { cwd: dir });
    const tested = await run(bin('vitest'), ['run'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
    expect(tested.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
  }, 60_000);
});
