import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerPool, discoverGpus, NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../src/index.js';

// Outputs of `nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits`.
const ONE_H100 = '0, GPU-4f0f6b2e-3c1a-8d8e-1d0b-6f7c0f2a9b11, NVIDIA H100 80GB HBM3, 81559, 1, 0\n';
const FOUR_4090 = [
  '0, GPU-0b5c3c36-2f0a-61d5-9d5e-5b7e3fd6b2a1, NVIDIA GeForce RTX 4090, 24564, 18211, 97',
  '1, GPU-1c6d4d47-3a1b-72e6-ae6f-6c8f4ae7c3b2, NVIDIA GeForce RTX 4090, 24564, 3, 0',
  '2, GPU-2d7e5e58-4b2c-83f7-bf70-7d905bf8d4c3, NVIDIA GeForce RTX 4090, 24564, 12290, 45',
  '3, GPU-3e8f6f69-5c3d-9408-c081-8ea16c09e5d4, NVIDIA GeForce RTX 4090, 24564, 3, 0',
  '',
].join('\n');
// An A100 in MIG mode: utilisation is not reported; a MIG-like name; a K80 that reports nothing.
const MIG_AND_NA = [
  '0, GPU-5a9b0c1d-2e3f-4051-8263-748596a7b8c9, NVIDIA A100-SXM4-40GB MIG 3g.20gb, 40960, 37, [N/A]',
  '1, GPU-6b0c1d2e-3f40-5162-9374-8596a7b8c9d0, Tesla K80, [N/A], [N/A], [Not Supported]',
].join('\r\n');

describe('parseNvidiaSmi', () => {
  it('reads one GPU', () => {
    expect(parseNvidiaSmi(ONE_H100)).toEqual({
      gpus: [
        {
          index: 0,
          uuid: 'GPU-4f0f6b2e-3c1a-8d8e-1d0b-6f7c0f2a9b11',
          name: 'NVIDIA H100 80GB HBM3',
          memoryTotalMb: 81559,
          memoryUsedMb: 1,
          memoryFreeMb: 81558,
          utilizationPct: 0,
        },
      ],
      skipped: [],
    });
  });

  it('reads several GPUs, their free memory being total minus used', () => {
    const { gpus, skipped } = parseNvidiaSmi(FOUR_4090);
    expect(skipped).toEqual([]);
    expect(gpus.map((g) => [g.index, g.memoryFreeMb, g.utilizationPct])).toEqual([
      [0, 6353, 97],
      [1, 24561, 0],
      [2, 12274, 45],
      [3, 24561, 0],
    ]);
  });

  it('keeps MIG-like names whole and reads [N/A] and [Not Supported] as unknown', () => {
    const { gpus } = parseNvidiaSmi(MIG_AND_NA);
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-5a9b0c1d-2e3f-4051-8263-748596a7b8c9',
      name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb',
      memoryTotalMb: 40960,
      memoryUsedMb: 37,
      memoryFreeMb: 40923,
    });
    expect(gpus[1]).toEqual({
      index: 1,
      uuid: 'GPU-6b0c1d2e-3f40-5162-9374-8596a7b8c9d0',
      name: 'Tesla K80',
      memoryTotalMb: 0,
      memoryFreeMb: 0,
    });
  });

  it('keeps a name holding a comma, sorts by index and skips lines that are no GPU', () => {
    const out = 'No devices were found\n1, GPU-b, Odd, Name, 1000, 400, 5\n0, GPU-a, Plain, 2000, 0, 0\n';
    const { gpus, skipped } = parseNvidiaSmi(out);
    expect(gpus.map((g) => [g.index, g.name, g.memoryFreeMb])).toEqual([
      [0, 'Plain', 2000],
      [1, 'Odd, Name', 600],
    ]);
    expect(skipped).toEqual(['No devices were found']);
  });
});

describe('discoverGpus', () => {
  const host = { cpus: cpus().length, memoryMb: Math.floor(totalmem() / 2 ** 20) };

  it('runs nvidia-smi with the query and reads the host', async () => {
    const calls: [string, string[]][] = [];
    const machine = await discoverGpus({
      exec: async (file, args) => {
        calls.push([file, args]);
        return { stdout: FOUR_4090 };
      },
    });
    expect(calls).toEqual([
      ['nvidia-smi', ['--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu', '--format=csv,noheader,nounits']],
    ]);
    expect(machine.gpus).toHaveLength(4);
    expect(machine.reason).toBeUndefined();
    expect({ cpus: machine.cpus, memoryMb: machine.memoryMb }).toEqual(host);
  });

  it('gives CPU-only workers with the reason when nvidia-smi lists nothing readable', async () => {
    const machine = await discoverGpus({ exec: async () => ({ stdout: 'No devices were found\n' }) });
    expect(machine.gpus).toEqual([]);
    expect(machine.reason).toBe('nvidia-smi listed no GPU it could read ("No devices were found"): CPU-only workers');
    const pool = buildWorkerPool(machine, { parallelism: 2 });
    expect(pool.workers.map((w) => w.id)).toEqual(['cpu']);
    expect(pool.reason).toBe(machine.reason);
  });

  describe('running the real program from PATH', () => {
    let dir: string;
    let path: string | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vhb-smi-'));
      path = process.env.PATH;
    });
    afterAll(async () => {
      process.env.PATH = path;
      await rm(dir, { recursive: true, force: true });
    });

    async function fakeSmi(name: string, body: string): Promise<void> {
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'nvidia-smi'), `#!/bin/sh\n${body}\n`);
      await chmod(join(dir, name, 'nvidia-smi'), 0o755);
      process.env.PATH = `${join(dir, name)}:/usr/bin:/bin`;
    }

    it('reads the GPUs nvidia-smi prints for the exact query', async () => {
      await fakeSmi('ok', `[ "$*" = ${JSON.stringify(NVIDIA_SMI_ARGS.join(' '))} ] || exit 2\nprintf '%s\\n' '${ONE_H100.trim()}'`);
      const machine = await discoverGpus();
      expect(machine.gpus.map((g) => [g.name, g.memoryFreeMb])).toEqual([['NVIDIA H100 80GB HBM3', 81558]]);
      expect(machine.reason).toBeUndefined();
    });

    it('says nvidia-smi is not installed when PATH has none', async () => {
      process.env.PATH = join(dir, 'empty-nothing-here');
      const machine = await discoverGpus();
      expect(machine).toMatchObject({ gpus: [], reason: 'nvidia-smi is not installed (not found on PATH): CPU-only workers' });
      expect(machine.cpus).toBe(host.cpus);
    });

    it('passes on the first line of what a failing nvidia-smi says, with its exit status', async () => {
      await fakeSmi(
        'fail',
        'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running." >&2\nexit 9',
      );
      const machine = await discoverGpus();
      expect(machine.gpus).toEqual([]);
      expect(machine.reason).toBe(
        "nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.: CPU-only workers",
      );
    });

    it('gives up on an nvidia-smi that hangs', async () => {
      await fakeSmi('hang', 'exec sleep 30');
      const machine = await discoverGpus({ timeoutMs: 300 });
      expect(machine).toMatchObject({ gpus: [], reason: 'nvidia-smi did not answer in time: CPU-only workers' });
    });
  });
});
