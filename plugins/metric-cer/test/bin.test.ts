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

describe('vhb-metric-cer', () => {
  it('scores JSON Lines from stdin', () => {
    const input = [
      { id: 'a', prediction: 'This test', references: ['This is a test'] },
      { id: 'b', prediction: 'X', references: ['X'] },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = bin([], `${input}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Corpus CER: 5 deletions over 14 + 1 reference characters.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'cer@1',
      score: 5 / 15,
      // The item mean (5/14 + 0) / 2 is labelled apart from the corpus rate.
      details: { itemMean: 5 / 28, hits: 10, substitutions: 0, deletions: 5, insertions: 0, refLength: 15 },
      items: [
        { id: 'a', score: 5 / 14 },
        { id: 'b', score: 0 },
      ],
    });
  });

  it('names the bad line and exits 2', () => {
    const result = bin([], '{"id": "a", "prediction": "x", "references": ["x"]}\nnot json\n');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^✖ line 2: not valid JSON/);
  });
});
