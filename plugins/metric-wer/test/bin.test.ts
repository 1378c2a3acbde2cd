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

describe('vhb-metric-wer', () => {
  it('prints the corpus rate as the score, and each item rate', () => {
    const input = [
      { id: 'a', prediction: 'hello duck', references: ['hello world'] },
      { id: 'b', prediction: 'i like python', references: ['i like monthy python'] },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = bin([], `${input}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // 1 substitution over 2 words, 1 deletion over 4: corpus 2 / 6, not the item mean 3/8.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'wer@1',
      score: 2 / 6,
      // The item mean (1/2 + 1/4) / 2 = 3/8 is labelled apart from the corpus rate.
      details: { itemMean: 3 / 8, hits: 4, substitutions: 1, deletions: 1, insertions: 0, refLength: 6 },
      items: [
        { id: 'a', score: 1 / 2 },
        { id: 'b', score: 1 / 4 },
      ],
    });
  });

  it('refuses options it does not take, exit 2', () => {
    const result = bin(['--options', '{"ignoreCase": true}'], '');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/ignoreCase/);
  });
});
