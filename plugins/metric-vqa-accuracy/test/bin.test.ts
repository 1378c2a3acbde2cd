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

describe('vhb-metric-vqa-accuracy', () => {
  const answers = ['2', '2', '2', '2', 'two', 'two', 'two', '3', '3', '3'];
  const input = `${[
    { id: 'a', prediction: '2.', references: answers },
    { id: 'b', prediction: 'yes', references: ['yes', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no'] },
  ]
    .map((item) => JSON.stringify(item))
    .join('\n')}\n`;

  it('scores JSON Lines from stdin with the official dialect', () => {
    const result = bin([], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // a: "2." → "2", 7 of 10 answers normalise to "2" → 1. b: 1 match → 0.3. Mean 0.65.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'vqa-accuracy@1',
      score: 0.65,
      items: [
        { id: 'a', score: 1 },
        { id: 'b', score: 0.3 },
      ],
    });
  });

  it('takes the dialect as an option', () => {
    // VLMEvalKit keeps the period of "2.": no match.
    const result = bin(['--options', '{"dialect": "vlmevalkit"}'], input);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).items).toEqual([
      { id: 'a', score: 0 },
      { id: 'b', score: 0.3 },
    ]);
    const bad = bin(['--options', '{"dialect": "vqav2"}'], input);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/dialect/);
  });

  it('names an item without answers and exits 2', () => {
    const result = bin([], '{"id": "q", "prediction": "yes", "references": []}\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 1 \(id "q"\).*at least one reference/);
  });
});
