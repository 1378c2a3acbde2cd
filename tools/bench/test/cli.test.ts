import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult, StreamResult } from '../src/index.js';
import { main } from '../src/index.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { status, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'vhb-bench-test-'));

describe('bench:metrics on 300 pairs', () => {
  it('prints items/s for ours and Python, the ratios, and agreeing figures', async () => {
    const json = join(tmp(), 'result.json');
    const { status, stdout } = await run(['--items', '300', '--json', json, ...(hasPython ? [] : ['--no-python'])]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^VLMHyperBench metric benchmark: 300 generated pairs per metric, seed 42\nnode v\d+/);
    expect(stdout).toContain('ours items/s');
    const result = JSON.parse(readFileSync(json, 'utf8')) as BenchResult;
    expect(result.metrics.map((m) => m.metric)).toEqual(expect.arrayContaining(['anls', 'cer', 'wer']));
    for (const m of result.metrics) {
      expect(m.id).toMatch(/^(anls|cer|wer)@\d+$/);
      expect(m.ours.items).toBe(300);
      expect(m.ours.itemsPerSecond).toBeGreaterThan(0);
      expect(m.ours.cpuItemsPerSecond).toBeGreaterThan(0);
      // The speed row: id, 300 items, wall / CPU seconds, items per CPU second, then Python's columns.
      expect(stdout).toMatch(new RegExp(`^${m.id}\\s+300\\s+\\d+\\.\\d{3} / \\d+\\.\\d{3}\\s+[\\d,.]+\\s`, 'm'));
    }
    if (!hasPython) return;
    expect(stdout).toContain('✔ ours and Python agree');
    for (const m of result.metrics) {
      expect(m.python).toMatchObject({ items: 300, subset: false });
      expect(m.ratio).toBeCloseTo(m.ours.cpuItemsPerSecond / (m.python?.cpuItemsPerSecond ?? 0), 6);
      expect(m.wallRatio).toBeCloseTo(m.ours.itemsPerSecond / (m.python?.itemsPerSecond ?? 0), 6);
      expect(stdout).toMatch(new RegExp(`^${m.id}\\s.*\\s[\\d.]+×\\s+[\\d.]+×\\s+(≥50× (met|NOT met)|-)$`, 'm'));
      const { ours, python, mismatches } = m.agreement ?? { ours: null, python: null, mismatches: ['missing'] };
      expect(mismatches).toEqual([]);
      expect(Math.abs((ours?.aggregate ?? 0) - (python?.aggregate ?? 1))).toBeLessThanOrEqual(1e-9);
      expect(Math.abs((ours?.mean ?? 0) - (python?.mean ?? 1))).toBeLessThanOrEqual(1e-9);
      expect(ours?.counts).toEqual(python?.counts);
      if (m.metric !== 'anls') expect(ours?.counts?.substitutions).toBeGreaterThan(0);
    }
  });

  it.skipIf(!hasPython)('times Python on a seeded random subset when asked, and says so', async () => {
    const json = join(tmp(), 'result.json');
    const { status, stdout } = await run(['--items', '300', '--python-items', 'cer=50,anls=300', '--json', json]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^cer@1\s+300\s.*\s50 \(random subset\)\s/m);
    const cer = (JSON.parse(readFileSync(json, 'utf8')) as BenchResult).metrics.find((m) => m.metric === 'cer');
    expect(cer?.python).toMatchObject({ items: 50, subset: true });
    expect(cer?.agreement?.items).toBe(50);
    expect(cer?.agreement?.mismatches).toEqual([]);
  });
});

describe('bench:metrics --stream', () => {
  it('streams, checks the running sums against aggregate(), and prints the peak RSS', async () => {
    const json = join(tmp(), 'stream.json');
    const { status, stdout } = await run(['--stream', '2000', '--json', json]);
    expect(status).toBe(0);
    const rss = stdout.match(/^peak RSS (\d+\.\d) MB \(process\.resourceUsage\(\)\.maxRSS\), limit 300\.0 MB: ✔ under$/m);
    expect(Number(rss?.[1])).toBeLessThan(300);
    const result = JSON.parse(readFileSync(json, 'utf8')) as StreamResult;
    expect(result.items).toBe(2000);
    for (const m of result.metrics) {
      expect(m.check).toMatchObject({ items: 2000, ok: true });
      expect(stdout).toMatch(new RegExp(`^${m.id}\\s+[\\d.e-]+\\s+[\\d.e-]+\\s+equal$`, 'm'));
    }
  });
});

describe('bench:metrics arguments', () => {
  it('prints its usage, and refuses bad arguments with status 2', async () => {
    expect((await run(['--help'])).stdout).toContain('Usage: node tools/bench/dist/metrics.js');
    expect(await run(['--items', 'many'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--items must be a positive integer'),
    });
    expect(await run(['--frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining('Usage:') });
    expect(await run(['--python-items', 'bleu=5', '--no-python'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown metric "bleu"'),
    });
    expect(await run(['--python', '/nonexistent/python3'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--no-python') });
  });
});
