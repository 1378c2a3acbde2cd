import { describe, expect, it } from 'vitest';
import { formatInference, type InferenceResult, inferenceMain } from '../src/inference/main.js';
import { lateness, mergePhases, ttftFloor } from '../src/inference/results.js';

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
    expect(lines[1]).toBe(
      'phases (b) to (f) are timed in 1 interleaved round of 300 requests (b c d e f b c d e f …), so load from elsewhere affects them alike',
    );
    expect(lines[2]).toMatch(/^node v\d+\.\d+\.\d+, \d+ CPUs \(.*\), load average \d+\.\d\d at start, \d+\.\d\d at end$/);
    expect(lines[3]).toMatch(/^the engine, the gateway and the proxy each run in their own process; .* share the \d+ CPUs/);
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
    // The references for (d): the Pool through the gateway, and through the bare proxy (its CPU in the middle).
    expect(row('(e)')).toMatch(/^\(e\) +undici Pool → gateway → engine +[\d,]+ +\d+\.\d% +\d+ \/ \d+ \/ \d+ +300 in \d+\.\d\d s +-$/);
    expect(row('(f)')).toMatch(/^\(f\) +undici Pool → bare proxy → engine +[\d,]+ +\d+\.\d% +\d+ \/ \d+ \/ \d+ +300 in \d+\.\d\d s +-$/);
    expect(stdout).toMatch(
      /^gateway ceiling: \(d\) asks for ≥ 60% of \(b\); the bare proxy \(f\) is \d+\.\d% of \(b\)(: below the goal, .*)?\. \(d\) is \d+\.\d% of \(f\), \(e\) \d+\.\d%$/m,
    );
    expect(stdout).not.toContain('global fetch');
    expect(stdout).toContain(
      'TTFT accuracy: engine delay 20 ms, runner streaming at concurrency 8, 30 items after an untimed warm-up, predictions.jsonl 30/30 lines, 30 with a TTFT',
    );
    // The runner cannot see the first token before the engine sends it, 20 ms after the request arrived.
    expect(stdout).toMatch(
      /measured − 20 ms: p50 \+\d+\.\d\d ms, p90 \+\d+\.\d\d ms, p99 \+\d+\.\d\d ms \(min \+\d+\.\d\d ms, max \+\d+\.\d\d ms\); goal \|p99\| ≤ 2 ms: (met|NOT met)/,
    );
    expect(stdout).toMatch(
      /without each connection's first request \(the first 8 items\): 22 items, p50 \+\d+\.\d\d ms, p90 \+\d+\.\d\d ms, p99 \+\d+\.\d\d ms \(max \+\d+\.\d\d ms\): (within|NOT within) 2 ms/,
    );
    // Every item matched to the engine's own log line, by its numbered question.
    expect(stdout).toMatch(/of which the engine's own lateness \(.*; 30 items\): p50 \+\d+\.\d\d ms/);
    expect(stdout).toMatch(/the runner's own error \(measured − when the engine wrote the chunk\): p50 [+-]\d+\.\d\d ms/);
    // The bare Pool read all 30 streams and found a first content chunk in each, matched to the engine's log.
    expect(stdout).toMatch(
      /the floor, a bare undici Pool reading the same stream \(.*; 30 items\): measured − 20 ms p50 \+\d+\.\d\d ms, .*; its own error p50 [+-]\d+\.\d\d ms/,
    );
    expect(stdout).toMatch(
      /an idle 1 ms timer in this process \(2 s, nothing else to do\): late p50 [+-]\d+\.\d\d ms, p99 [+-]\d+\.\d\d ms, max [+-]\d+\.\d\d ms/,
    );
  }, 120_000);

  it('judges the goals against the Pool baseline measured in the same run', () => {
    const base: InferenceResult = {
      options: { requests: 1000, concurrency: 64, ttftItems: 10, ttftConcurrency: 8, fetch: true, rounds: 2 },
      autocannon: phase(30_000),
      pool: phase(20_000),
      fetch: phase(2_000),
      runner: { ...phase(18_000), lines: 1000, items: 1000, records: [] },
      gateway: { ...phase(11_999), cpu: { client: 40, gateway: 90, engine: 30 }, lines: 999, items: 1000, records: [] },
      poolGateway: { ...phase(13_000), cpu: { client: 35, gateway: 80, engine: 30 } },
      proxy: { ...phase(10_000), cpu: { client: 35, gateway: 60, engine: 30 } },
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
        engineLate: { measured: 10, p50: 0.05, p90: 0.1, p99: 1.5, min: 0, max: 1.6 },
        net: { measured: 10, p50: 0.3, p90: 0.6, p99: 0.9, min: 0.1, max: 1 },
      },
      ttftFloor: {
        all: { measured: 10, p50: 0.25, p90: 0.5, p99: 1.25, min: 0.1, max: 1.5 },
        net: { measured: 10, p50: 0.2, p90: 0.4, p99: 0.75, min: 0.05, max: 0.8 },
      },
      idle: { measured: 2000, p50: 0.1, p90: 0.12, p99: 0.2, min: 0, max: 3.5 },
      load: [0.5, 0.75],
    };
    const text = formatInference(base);
    expect(text).toMatch(/\(b\) +undici Pool → engine \(baseline\) +20,000 +100\.0% +40 \/ 30 /);
    expect(text).toMatch(/global fetch → engine +2,000 +10\.0% /);
    // 18,000 / 20,000 = 90%: met; 11,999 / 20,000 < 60%: not met; a missing prediction line is flagged.
    expect(text).toMatch(/\(c\) +runner → engine +18,000 +90\.0% .*1,000\/1,000 lines +≥ 90% of \(b\): met/);
    expect(text).toMatch(/\(d\) +runner → gateway → engine +11,999 +60\.0% +40 \/ 90 \/ 30 .*999\/1,000 lines ✖ +≥ 60% of \(b\): NOT met/);
    expect(text).toContain('p99 +2.00 ms (min +0.10 ms, max +2.50 ms); goal |p99| ≤ 2 ms: met');
    expect(text).toContain('(the first 8 items): 2 items, p50 +0.40 ms, p90 +0.50 ms, p99 +0.50 ms (max +0.50 ms): within 2 ms');
    expect(formatInference({ ...base, ttft: { ...base.ttft, p99: 2.01 } })).toContain('goal |p99| ≤ 2 ms: NOT met');
    expect(text).toContain("of which the engine's own lateness");
    expect(text).toContain('10 items): p50 +0.05 ms, p90 +0.10 ms, p99 +1.50 ms (max +1.60 ms)');
    expect(text).toContain(
      "the runner's own error (measured − when the engine wrote the chunk): p50 +0.30 ms, p90 +0.60 ms, p99 +0.90 ms (min +0.10 ms, max +1.00 ms): within 2 ms",
    );
    expect(text).toMatch(/\(e\) +undici Pool → gateway → engine +13,000 +65\.0% +35 \/ 80 \/ 30 /);
    expect(text).toMatch(/\(f\) +undici Pool → bare proxy → engine +10,000 +50\.0% +35 \/ 60 \/ 30 /);
    // 10,000 / 20,000 = 50% < 60%: the bare proxy itself misses the goal; (d) 11,999 / 10,000, (e) 13,000 / 10,000.
    expect(text).toContain(
      'gateway ceiling: (d) asks for ≥ 60% of (b); the bare proxy (f) is 50.0% of (b): below the goal, so on this machine even a gateway doing no more than pass bytes on misses it. (d) is 120.0% of (f), (e) 130.0%',
    );
    const fast = formatInference({ ...base, proxy: phase(12_000) });
    expect(fast).toContain('the bare proxy (f) is 60.0% of (b). (d) is 100.0% of (f)');
    expect(text).toContain(
      '(its clock also at onConnect, the first content found by a string search; 10 items): measured − 20 ms p50 +0.25 ms, p90 +0.50 ms, p99 +1.25 ms (max +1.50 ms); its own error p50 +0.20 ms, p90 +0.40 ms, p99 +0.75 ms (max +0.80 ms)',
    );
    expect(text).toContain('an idle 1 ms timer in this process (2 s, nothing else to do): late p50 +0.10 ms, p99 +0.20 ms, max +3.50 ms');
    expect(text).toContain('load average 0.50 at start, 0.75 at end');
    expect(text).toContain('timed in 2 interleaved rounds of 500 requests');
  });

  it('adds up the rounds of a phase: requests and seconds summed, CPU per request weighted by requests', () => {
    const one = {
      requests: 1000,
      seconds: 0.1,
      rate: 10_000,
      errors: 1,
      cpu: { client: 40, engine: null },
      lines: 1000,
      items: 1000,
      records: [],
    };
    const two = {
      requests: 3000,
      seconds: 0.2,
      rate: 15_000,
      errors: 0,
      cpu: { client: 60, engine: 20 },
      lines: 2999,
      items: 3000,
      records: [],
    };
    const merged = mergePhases([one, two]);
    expect(merged).toMatchObject({ requests: 4000, errors: 1, lines: 3999, items: 4000 });
    expect(merged.seconds).toBeCloseTo(0.3);
    expect(merged.rate).toBeCloseTo(4000 / 0.3);
    // (40·1000 + 60·3000) / 4000 = 55; unknown in one round is unknown overall.
    expect(merged.cpu).toEqual({ client: 55, engine: null });
  });

  it("reads the engine's first-content lines, skipping anything else it printed", () => {
    const output = [
      'test engine listening on http://127.0.0.1:1/v1',
      '{"firstContent":{"prompt":"What is the total? (#0)","dueMs":20,"lateMs":0.25}}',
      '{"firstContent":{"prompt":"What is the total? (#1)","dueMs":20,"lateMs":3}}',
      '',
    ].join('\n');
    expect([...lateness(output)]).toEqual([
      ['What is the total? (#0)', 0.25],
      ['What is the total? (#1)', 3],
    ]);
  });

  it("works out the bare client's TTFT error, and net of the engine's lateness where the engine logged the question", () => {
    const measured = new Map([
      ['a', 21.5],
      ['b', 23],
      ['c', 20.5],
    ]);
    const late = new Map([
      ['a', 0.5],
      ['c', 0.25],
      ['z', 9],
    ]);
    const floor = ttftFloor(measured, late);
    // measured − 20: 1.5, 3, 0.5; net of lateness: a 1.5 − 0.5 = 1, c 0.5 − 0.25 = 0.25 (b was not logged).
    expect(floor.all).toMatchObject({ measured: 3, p50: 1.5, min: 0.5, max: 3 });
    expect(floor.net).toMatchObject({ measured: 2, min: 0.25, max: 1 });
  });

  it('rejects bad arguments with the usage', async () => {
    for (const args of [['--requests', '0'], ['--concurrency', 'x'], ['--ttft-items'], ['--rounds', '0'], ['--nope']]) {
      const { status, stderr } = await run(args);
      expect(status).toBe(2);
      expect(stderr).toContain('Usage: bench:inference');
    }
    expect((await run(['--help'])).stdout).toContain('--ttft-items N');
  });
});
