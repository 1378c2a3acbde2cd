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

describe('vhb-metric-json', () => {
  it('scores JSON Lines from stdin', () => {
    const input = [
      { id: 'a', prediction: '```json\n{"total": 5, "date": "2024-01-05"}\n```', references: ['{"total": 5, "date": "2024-01-05"}'] },
      { id: 'b', prediction: 'I cannot read it', references: ['{"total": 7}'] },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = bin(['--options', '{"schema": {"type": "object", "required": ["total"]}}'], `${input}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Item a: both fields right (F1 1). Item b: not JSON, 1 field missed. Σ tp 2, fp 0, fn 1 → F1 4/5.
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'json@1',
      score: 4 / 5,
      details: {
        structuralFidelity: 1 / 2,
        schemaValid: 1 / 2,
        precision: 1,
        recall: 2 / 3,
        f1: 4 / 5,
        fieldAnls: 2 / 3,
        tp: 2,
        fp: 0,
        fn: 1,
      },
      items: [
        { id: 'a', score: 1 },
        { id: 'b', score: 0 },
      ],
    });
  });

  it('refuses a schema it cannot read, with exit status 2', () => {
    const result = bin(['--options', '{"schema": {"type": "text"}}'], '');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('type: "text" is not one of');
  });
});
