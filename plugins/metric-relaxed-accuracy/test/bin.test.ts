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

describe('vhb-metric-relaxed-accuracy', () => {
  const input = `${[
    { id: 'a', prediction: '104', references: ['100'] },
    { id: 'b', prediction: 'Yes ', references: ['yes'] },
  ]
    .map((item) => JSON.stringify(item))
    .join('\n')}\n`;

  it('scores JSON Lines from stdin with the lmms-eval dialect', () => {
    const result = bin([], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // a: 4 / 100 ≤ 0.05 → 1. b: "yes " ≠ "yes" untrimmed → 0. Mean 0.5.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'relaxed-accuracy@1',
      score: 0.5,
      items: [
        { id: 'a', score: 1 },
        { id: 'b', score: 0 },
      ],
    });
  });

  it('takes the dialect and the tolerance as options', () => {
    const result = bin(['--options', '{"dialect": "vlmevalkit", "tolerance": 0.01}'], input);
    expect(result.status).toBe(0);
    // a: 0.04 > 0.01 → 0. b: trimmed → 1.
    expect(JSON.parse(result.stdout).items).toEqual([
      { id: 'a', score: 0 },
      { id: 'b', score: 1 },
    ]);
    const bad = bin(['--options', '{"tolerance": "5%"}'], input);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/tolerance/);
  });
});
