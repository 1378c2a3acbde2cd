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

describe('vhb-metric-token-f1', () => {
  const input = `${[
    { id: 'a', prediction: 'the Cat sat', references: ['a cat sat on the mat'] },
    { id: 'b', prediction: '', references: [''] },
  ]
    .map((item) => JSON.stringify(item))
    .join('\n')}\n`;

  it('scores JSON Lines from stdin with the squad-v2 dialect', () => {
    const result = bin([], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // a: P = 2/2, R = 2/4 → 2PR/(P+R) = 2/3; b: empty vs empty → 1 in v2.0.
    const a = (2 * 1 * 0.5) / (1 + 0.5);
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'token-f1@1',
      score: (a + 1) / 2,
      items: [
        { id: 'a', score: a },
        { id: 'b', score: 1 },
      ],
    });
  });

  it('takes the dialect as an option', () => {
    const result = bin(['--options', '{"dialect": "squad-v1.1"}'], input);
    expect(result.status).toBe(0);
    // b: empty vs empty → 0 in v1.1.
    expect(JSON.parse(result.stdout).items[1]).toEqual({ id: 'b', score: 0 });
  });
});
