import { describe, expect, it } from 'vitest';
import { formatInference, type InferenceResult, inferenceMain } from '../src/inference/main.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await inferenceMain(args, { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { status, stdout, stderr };
}

const phase = (rate: number) => ({ requests: 1000, seconds: 1000 / rate, rate, errors: 0, cpu: { client: 40, engine: 30 } });

describe('bench:inference', () => {
  it('--quick: starts the engine and the gateway in their own processes, times every phase and writes every prediction', async () => {
    const { status, stdout, stderr } = await run(['--quick', '--requests', '300', '--ttft-items', '30']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'VLMHyperBench inference benchmark: concurrency 64, 300 requests per phase after a warm-up, test engine answering at once',
    );
    expect(lines[1]).toMatch(/^node v\d+\.\d+\.\d+, \d+ CPUs \(.*\), load average \d+\.\d\d at start, \d+\.\d\d at end$/);
    expect(lines[2]).toMatch(/^the engine and the gateway each run in their own process; .* share the \d+ CPUs/);
    const row = (label: string) => lines.find((line) => line.startsWith(label)) ?? '';
    expect(row('(a)')).toMatch(/^\(a\) +autocannon → engine +[\d,]+ +\d+\.\d% +\d+ \/ \d+ +300 in \d+\.\d\d s +-$/);
    expect(row('(b)')).toMatch(/^\(b\) +undici Pool → engine \(baseline\) +[\d,]+ +100\.0% +\d+ \/ \d+ +300 in \d+\.\d\d s +-$/);
    // Every item answered and its prediction appended: 300 lines in predictions.jsonl, no errors.
    expect(row('(c)')).toMatch(
      /^\(c\) +runner → engine +[\d,]+ +\d+\.\d% +\d+ \/ \d+ +300 in \d+\.\d\d s, predictions\.jsonl 300\/300 lines +≥ 90% of \(b\): (met|NOT met)$/,
    );
    expect(row('(d)')).toMatch(
      /^\(d\) +runner → gateway → engine +[\d,]+ +\d+\.\d% +\d+ \/ \d+ \/ \d+ +300 in \d+\.\d\d s, predictions\.jsonl 300\/300 lines +≥ 60% of \(b\): (met|NOT met)$/,
    );
    expect(stdout).not.toContain('global fetch');
    expect(stdout).toContain(
      'TTFT accuracy: engine delay 20 ms, runner streaming at concurrency 8, 30 items, predictions.jsonl 30/30 lines, 30 with a TTFT',
    );
    // The runner cannot see the first token before the engine sends it, 20 ms after the request arrived.
    expect(stdout).toMatch(
      /measured − 20 ms: p50 \+\d+\.\d\d ms, p90 \+\d+\.\d\d ms, p99 \+\d+\.\d\d ms \(min \+\d+\.\d\d ms, max \+\d+\.\d\d ms\); goal \|p99\| ≤ 2 ms: (met|NOT met)/,
    );
    expect(stdout).toMatch(
      /without each connection's first request \(the first 8 items, which also connect\): 22 items, p50 \+\d+\.\d\d ms, p90 \+\d+\.\d\d ms, p99 \+\d+\.\d\d ms \(max \+\d+\.\d\d ms\): (within|NOT within) 2 ms/,
    );
  }, 120_000);

  it('judges the goals against the Pool baseline measured in the same run', () => {
    const base: InferenceResult = {
      options: { requests: 1000, concurrency: 64, ttftItems: 10, ttftConcurrency: 8, fetch: true },
      autocannon: phase(30_000),
      pool: phase(20_000),
      fetch: phase(2_000),
      runner: { ...phase(18_000), lines: 1000, items: 1000, records: [] },
      gateway: { ...phase(11_999), cpu: { client: 40, gateway: 90, engine: 30 }, lines: 999, items: 1000, records: [] },
      ttft: {
        items: 10,
        lines: 10,
        measured: 10,
        p50: 0.5,
        p90: 1,
        p99: 2,
        min: 0.1,
        max: 2.5,
        warm: { measured: 2, p50: 0.4, p90: 0.5, p99: 0.5, min: 0.3, max: 0.5 },
      },
      load: [0.5, 0.75],
    };
    const text = formatInference(base);
    expect(text).toMatch(/\(b\) +undici Pool → engine \(baseline\) +20,000 +100\.0% +40 \/ 30 /);
    expect(text).toMatch(/global fetch → engine +2,000 +10\.0% /);
    // 18,000 / 20,000 = 90%: met; 11,999 / 20,000 < 60%: not met; a missing prediction line is flagged.
    expect(text).toMatch(/\(c\) +runner → engine +18,000 +90\.0% .*1,000\/1,000 lines +≥ 90% of \(b\): met/);
    expect(text).toMatch(/\(d\) +runner → gateway → engine +11,999 +60\.0% +40 \/ 90 \/ 30 .*999\/1,000 lines ✖ +≥ 60% of \(b\): NOT met/);
    expect(text).toContain('p99 +2.00 ms (min +0.10 ms, max +2.50 ms); goal |p99| ≤ 2 ms: met');
    expect(text).toContain(
      '(the first 8 items, which also connect): 2 items, p50 +0.40 ms, p90 +0.50 ms, p99 +0.50 ms (max +0.50 ms): within 2 ms',
    );
    expect(formatInference({ ...base, ttft: { ...base.ttft, p99: 2.01 } })).toContain('goal |p99| ≤ 2 ms: NOT met');
    expect(text).toContain('load average 0.50 at start, 0.75 at end');
  });

  it('rejects bad arguments with the usage', async () => {
    for (const args of [['--requests', '0'], ['--concurrency', 'x'], ['--ttft-items'], ['--nope']]) {
      const { status, stderr } = await run(args);
      expect(status).toBe(2);
      expect(stderr).toContain('Usage: bench:inference');
    }
    expect((await run(['--help'])).stdout).toContain('--ttft-items N');
  });
});
