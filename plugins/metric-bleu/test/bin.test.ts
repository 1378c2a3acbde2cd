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

// sacrebleu's README example (test/test_bleu.py): corpus BLEU 48.530827 (to 1e-8).
const lines = [
  { id: 'a', prediction: 'The dog bit the man.', references: ['The dog bit the man.', 'The dog had bit the man.'] },
  { id: 'b', prediction: "It wasn't surprising.", references: ['It was not unexpected.', 'No one was surprised.'] },
  { id: 'c', prediction: 'The man had just bitten him.', references: ['The man bit him first.', 'The man had bitten the dog.'] },
]
  .map((item) => JSON.stringify(item))
  .join('\n');

describe('vhb-metric-bleu', () => {
  it('prints the corpus BLEU as a number, and the sentence BLEUs', () => {
    const result = bin([], `${lines}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.metric).toBe('bleu@1');
    expect(typeof output.score).toBe('number');
    expect(Math.abs(output.score - 48.530827)).toBeLessThan(1e-8);
    expect(output.items.map((item: { id: string }) => item.id)).toEqual(['a', 'b', 'c']);
    expect(output.items[0].score).toBeCloseTo(100, 10); // the hypothesis equals its first reference
  });

  it('takes options, the dialect included', () => {
    const result = bin(['--options', '{"dialect": "sacrebleu-py312", "tokenize": "none"}'], lines);
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.metric).toBe('bleu@1/sacrebleu-py312');
    expect(Math.abs(output.score - 49.1919566)).toBeLessThan(1e-8); // test_corpus_bleu, tokenize='none'
  });

  it('exits 2 on bad options and on an item without references', () => {
    expect(bin(['--options', '{"tokenize": "intl"}'], lines).status).toBe(2);
    const result = bin([], '{"id": "a", "prediction": "x", "references": []}\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^✖ line 1 \(id "a"\): bleu needs at least one reference/);
  });
});
