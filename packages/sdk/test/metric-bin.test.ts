import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineMetric, runMetricBin, VhbError, z } from '../src/index.js';

/** 1 when the prediction equals the first reference; refuses items with no reference. */
const equal = defineMetric({
  name: 'equal',
  version: '1.0.0',
  description: 'Equality with the first reference',
  algorithmVersion: 3,
  direction: 'higher',
  options: z.object({ bonus: z.number().default(0) }).strict(),
  score: (prediction, references, options) => {
    if (references.length === 0) throw new VhbError('VHB_E_TEST_REFS', 'no references');
    return { score: (prediction === references[0] ? 1 : 0) + options.bonus };
  },
});

/** Like `equal`, but its aggregate is the sum, to show the bin uses the metric's own aggregate. */
const summed = defineMetric({ ...equal, name: 'summed', aggregate: (scores) => scores.reduce((sum, s) => sum + s.score, 0) });

async function run(metric: typeof equal, input: string, argv: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await runMetricBin(metric, argv, {
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const lines = (...items: unknown[]) => items.map((item) => JSON.stringify(item)).join('\n');

describe('runMetricBin', () => {
  it('scores stdin and prints the aggregate and the item scores', async () => {
    const input = lines({ id: 'a', prediction: 'x', references: ['x'] }, { id: 'b', prediction: 'y', references: ['x', 'y'] });
    const result = await run(equal, `${input}\n\n`);
    expect(result).toEqual({
      code: 0,
      // mean of 1 and 0 (the second item matches only its second reference)
      stdout: `${JSON.stringify({
        metric: 'equal@3',
        score: 0.5,
        items: [
          { id: 'a', score: 1 },
          { id: 'b', score: 0 },
        ],
      })}\n`,
      stderr: '',
    });
  });

  it("uses the metric's aggregate and its validated options", async () => {
    const input = lines({ id: 'a', prediction: 'x', references: ['x'] }, { id: 'b', prediction: 'x', references: ['x'] });
    const result = await run(summed, input, ['--options', '{"bonus": 0.5}']);
    expect(JSON.parse(result.stdout)).toEqual({
      metric: 'summed@3',
      score: 3,
      items: [
        { id: 'a', score: 1.5 },
        { id: 'b', score: 1.5 },
      ],
    });
  });

  it('reads a file given as argument', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vhb-metric-bin-')), 'items.jsonl');
    writeFileSync(file, lines({ id: 'only', prediction: 'x', references: ['y'] }));
    const result = await run(equal, 'ignored', [file]);
    expect(JSON.parse(result.stdout)).toEqual({ metric: 'equal@3', score: 0, items: [{ id: 'only', score: 0 }] });
  });

  it('prints a null score for no items', async () => {
    expect(JSON.parse((await run(equal, '')).stdout)).toEqual({ metric: 'equal@3', score: null, items: [] });
  });

  it('names the line of invalid JSON and exits 2', async () => {
    const result = await run(equal, `${lines({ id: 'a', prediction: 'x', references: ['x'] })}\n{"id": "b",\n`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^✖ line 2: not valid JSON/);
  });

  it('names the line and field of a malformed item', async () => {
    const result = await run(equal, lines({ id: 'a', prediction: 'x', references: 'x' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✖ line 1: references: /);
  });

  it('names the line and id of an item the metric refuses', async () => {
    const result = await run(equal, lines({ id: 'a', prediction: 'x', references: ['x'] }, { id: 'b', prediction: 'x', references: [] }));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('✖ line 2 (id "b"): no references\n');
  });

  it('refuses bad options, a missing file and unknown flags with exit 2', async () => {
    const notJson = await run(equal, '', ['--options', '{bonus']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--options is not valid JSON: \{bonus/);
    const invalid = await run(equal, '', ['--options', '{"bonus": "high"}']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/metric "equal" options are invalid: bonus: /);
    const missing = await run(equal, '', [join(tmpdir(), 'vhb-no-such-file.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT/);
    const flag = await run(equal, '', ['--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Usage: vhb-metric-equal/);
  });

  it('prints its usage for --help', async () => {
    const result = await run(equal, '', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: vhb-metric-equal \[file.jsonl\]/);
  });
});
