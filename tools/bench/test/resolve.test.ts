import { describe, expect, it } from 'vitest';
import { formatResolve, RESOLVE_GOAL_MS, resolveMain } from '../src/resolve.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await resolveMain(args, { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { status, stdout, stderr };
}

describe('bench:resolve', () => {
  it('times a cold and 3 warm resolutions of a 6-plugin plan of local plugins and prints them against the goal', async () => {
    const { status, stdout, stderr } = await run(['--plugins', '6', '--repetitions', '3', '--source', 'local']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      'VLMHyperBench resolution benchmark: 6-plugin plan (2 metrics, a task, a dataset, an adapter, a reporter), local sources used in place, N = 3',
    );
    expect(lines[1]).toMatch(/^node v\d+\.\d+\.\d+, \w+ \w+, \d+ CPUs; each resolution is a new process/);
    expect(lines[2]).toMatch(
      /^baseline {2}cold \(empty cache\): \d+\.\d ms \(registries \d+\.\d ms, plan \d+\.\d ms, plugins \d+\.\d ms; 0 installed\)$/,
    );
    expect(lines[3]).toMatch(/^warm {6}median \d+\.\d ms, p90 \d+\.\d ms \(median registries .* 6\/6 from the cache\)$/);
    expect(lines[4]).toMatch(new RegExp(`^goal {6}warm median < ${RESOLVE_GOAL_MS} ms: (met|NOT met)$`));
  }, 60_000);

  it('says NOT met when the median is at or over the goal', () => {
    const sample = { registryMs: 150, planMs: 1, pluginsMs: 49, totalMs: 200, cached: 5, loaded: 5 };
    const text = formatResolve({
      options: { plugins: 5, repetitions: 1, source: 'local' },
      cold: { ...sample, cached: 0 },
      warm: [sample],
      medianMs: 200,
      p90Ms: 200,
    });
    expect(text).toContain('warm      median 200.0 ms, p90 200.0 ms');
    expect(text).toContain('goal      warm median < 200 ms: NOT met');
    expect(text).toContain('5 installed');
  });

  it('rejects bad arguments with the usage', async () => {
    for (const args of [['--plugins', '4'], ['--source', 'pip'], ['--repetitions', 'x'], ['--nope']]) {
      const { status, stderr } = await run(args);
      expect(status).toBe(2);
      expect(stderr).toContain('Usage: bench:resolve');
    }
    expect((await run(['--help'])).stdout).toContain('--source S');
  });
});
