import { describe, expect, it } from 'vitest';
import { queueMain } from '../src/queue/main.js';
import { REDIS_SERVER } from '../src/queue/setup.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await queueMain(args, { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { status, stdout, stderr };
}

describe('bench:queue', () => {
  it('refuses a bad argument with the usage', async () => {
    const { status, stderr } = await run(['--workers', '4']);
    expect(status).toBe(2);
    expect(stderr).toContain('bad argument "--workers"');
    expect(stderr).toContain('Usage: bench:queue');
  });

  const skipped = REDIS_SERVER ? '' : ' — skipped: redis-server is not installed';
  it.skipIf(!REDIS_SERVER)(
    `--quick: queues the plans on its own redis-server for 1 then 4 worker processes, each with its own GPU, and every item is answered once${skipped}`,
    { timeout: 180_000 },
    async () => {
      const { status, stdout, stderr } = await run(['--quick']);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('VLMHyperBench queue scaling benchmark: 4 runs × 10 items per timed plan, one queue job per run');
      const row = (workers: number) => lines.find((line) => line.startsWith(`${workers} `)) ?? '';
      expect(row(1)).toMatch(/^1 +40 +\d+\.\d\d +\d+ +200 +\d+% +1\.00× +\d+ \/ \d+ \/ \d+ +40$/);
      // Four GPUs each answered some of the 40 requests: the runs were spread over the workers.
      expect(row(4)).toMatch(/^4 +40 +\d+\.\d\d +\d+ +800 +\d+% +\d+\.\d\d× +\d+ \/ \d+ \/ \d+ +\d+ \/ \d+ \/ \d+ \/ \d+$/);
      expect(stdout).toContain('requests answered / items: 40/40, 40/40;');
      expect(stdout).not.toContain('✖');
      expect(stdout).toMatch(/goal: 4 workers ≥ 3\.5× the items\/s of 1: \d+\.\d\d× — (met|NOT met)/);
    },
  );
});
