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

describe('vhb-metric-classification', () => {
  it('scores JSON Lines from stdin and prints the accuracy', () => {
    const input = [
      { id: 'a', prediction: 'Invoice', references: ['invoice'] },
      { id: 'b', prediction: 'memo', references: ['letter'] },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = bin(['--options', '{"labels": ["invoice", "letter"]}'], `${input}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    // One of two right; "memo" is outside the labels.
    expect(output.metric).toBe('classification@1');
    expect(output.score).toBe(1 / 2);
    expect(output.details.confusion).toEqual({
      labels: ['invoice', 'letter', '(other)'],
      matrix: [
        [1, 0, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
    });
    expect(output.items).toEqual([
      { id: 'a', score: 1 },
      { id: 'b', score: 0 },
    ]);
  });

  it('names the line whose reference is outside the labels and exits 2', () => {
    const result = bin(['--options', '{"labels": ["invoice"]}'], '{"id": "a", "prediction": "x", "references": ["memo"]}\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^✖ line 1 \(id "a"\): classification: the reference label "memo"/);
  });
});
