import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every error code a package raises (a `VHB_E_...` literal in its src/) must be documented in its
// README or docs/, so users can look up any code they meet.
const repo = join(import.meta.dirname, '../../..');
const code = /'(VHB_E_[A-Z0-9_]*[A-Z0-9])'/g;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const packages = ['packages', 'plugins'].flatMap((group) =>
  readdirSync(join(repo, group))
    .map((name) => join(repo, group, name))
    .filter((dir) => existsSync(join(dir, 'src'))),
);

describe('error codes', () => {
  it.each(packages.map((dir) => [dir.slice(repo.length + 1), dir]))('%s documents every code it raises', (_, dir) => {
    const raised = new Set(
      files(join(dir, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(code)].map((m) => m[1] as string)),
    );
    const docs = [join(dir, 'README.md'), ...files(join(dir, 'docs'))]
      .filter(existsSync)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const undocumented = [...raised].filter((c) => !docs.includes(c));
    expect(undocumented).toEqual([]);
  });
});
