import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes a file under a project folder, creating its parent folders. */
export type ProjectWriter = (path: string, text: string) => Promise<void>;

export function projectWriter(project: string): ProjectWriter {
  return async (path, text) => {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  };
}

/** A local adapter plugin (plain JS, no dependencies) that answers "hello world" to every request, and its package entry. */
export async function writeEchoAdapter(write: ProjectWriter): Promise<void> {
  await write(
    'adapters/echo/package.json',
    JSON.stringify({ name: 'echo-adapter', version: '1.0.0', type: 'module', main: 'index.js', vhb: { kind: 'adapter', contract: 1 } }),
  );
  await write(
    'adapters/echo/index.js',
    `export default { kind: 'adapter', contract: 1, name: 'echo', version: '1.0.0', description: 'Answers hello world',
  async open() { return { concurrency: 1, async close() {},
    async generate() { return { text: 'hello world', timing: { latencyMs: 1, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null } }; } }; } };\n`,
  );
  await write('registries/packages/echo-adapter.yaml', 'name: echo-adapter\nkind: adapter\nsource: { type: local, path: adapters/echo }\n');
}

/** A registry package entry whose source is an npm package at `^0.1.0` (from the project's npmRegistry). */
export function writeNpmEntry(write: ProjectWriter, entry: string, pkg: string, kind: string): Promise<void> {
  return write(
    `registries/packages/${entry}.yaml`,
    `name: ${entry}\nkind: ${kind}\nsource: { type: npm, package: "${pkg}", version: "^0.1.0" }\n`,
  );
}
