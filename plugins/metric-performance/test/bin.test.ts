import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A line as predictions.jsonl writes it: every timing field present, null where not measured. */
const line = (id: string, timing: Record<string, number | null> | undefined) =>
  JSON.stringify({
    id,
    prediction: 'x',
    references: [],
    ...(timing && {
      timing: { latencyMs: 0, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null, ...timing },
    }),
  });

describe('vhb-metric-performance', () => {
  it("reads each line's timing, blank lines and CRLF endings included", () => {
    const input = `${line('a', { latencyMs: 100, completionTokens: 10 })}\r\n\r\n${line('b', { latencyMs: 300, ttftMs: 30 })}\n   \n${line('c', { latencyMs: 200 })}`;
    const result = bin([], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.metric).toBe('performance@1');
    // Latency [100, 200, 300]: p50 200, p90 at 1.8 → 280, p99 at 1.98 → 298, mean 200.
    expect(output.score).toBe(200);
    expect(output.details.latencyMs).toEqual({ mean: 200, p50: 200, p90: expect.closeTo(280, 10), p99: expect.closeTo(298, 10), n: 3 });
    expect(output.details.ttftMs).toEqual({ mean: 30, p50: 30, p90: 30, p99: 30, n: 1 });
    // 10 tokens in 0.1 s.
    expect(output.details.tokensPerSecond).toEqual({ mean: 100, p50: 100, p90: 100, p99: 100, n: 1 });
    expect(output.details.tpotMs).toBeNull();
    expect(output.items).toEqual([
      { id: 'a', score: 100 },
      { id: 'b', score: 300 },
      { id: 'c', score: 200 },
    ]);
  });

  it('reads a file given as argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhb-performance-'));
    const file = join(dir, 'timed.jsonl');
    writeFileSync(file, `${line('a', { latencyMs: 50 })}\n${line('b', { latencyMs: 150 })}\n`);
    const result = bin([file], '');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ metric: 'performance@1', score: 100, items: [{ id: 'a' }, { id: 'b' }] });
  });

  it('names the line without timing and exits 2', () => {
    const result = bin([], `${line('a', { latencyMs: 50 })}\n${line('b', undefined)}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^✖ line 2 \(id "b"\): performance: item "b" has no timing/);
  });
});
