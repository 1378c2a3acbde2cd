import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (args: string[], input: string) =>
  spawnSync(process.execPath, [join(pkg, 'dist', 'bin.js'), ...args], { input, encoding: 'utf8', timeout: 30_000 });

beforeAll(() => {
  // The bin under test is the built one, so build it from the current sources first.
  execFileSync(join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: pkg });
});

describe('vhb-metric-anls', () => {
  const input = `${[
    { id: 'a', prediction: 'colour', references: ['shade', 'color'] },
    { id: 'b', prediction: 'ab  ', references: ['ac'] },
  ]
    .map((item) => JSON.stringify(item))
    .join('\n')}\n`;

  it('scores JSON Lines from stdin with the current version', () => {
    const result = bin([], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // "colour" vs "color": 1 − 1/6; "ab  " vs "ac": 1 edit over max(len("ab"), len("ac")) = 2 → 0.5.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'anls@2',
      score: (1 - 1 / 6 + 0.5) / 2,
      items: [
        { id: 'a', score: 1 - 1 / 6 },
        { id: 'b', score: 0.5 },
      ],
    });
  });

  it('takes the options as JSON', () => {
    // With τ = 0.9 the 5/6 of item a falls below the threshold: 0.
    const result = bin(['--options', '{"threshold": 0.9}'], input);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).items).toEqual([
      { id: 'a', score: 0 },
      { id: 'b', score: 0 },
    ]);
    const bad = bin(['--options', '{"dialect": "official"}'], input);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/dialect/);
  });
});
