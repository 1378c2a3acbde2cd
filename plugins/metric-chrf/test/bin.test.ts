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

describe('vhb-metric-chrf', () => {
  it('prints the corpus chrF and the sentence chrFs', () => {
    // test_chrf.py, effective order: ["a", "b"] vs ["a", "c"] is 50 (β = 3); the items are 100 and 0.
    const input = [
      { id: 'x', prediction: 'a', references: ['a'] },
      { id: 'y', prediction: 'b', references: ['c'] },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = bin(['--options', '{"beta": 3}'], `${input}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'chrf@1',
      score: 50,
      items: [
        { id: 'x', score: 100 },
        { id: 'y', score: 0 },
      ],
    });
  });

  it('exits 2 on an item without references', () => {
    const result = bin([], '{"id": "a", "prediction": "x", "references": []}\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^✖ line 1 \(id "a"\): chrf needs at least one reference/);
  });
});
