import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { type ResourceSampleEvent, startResourceSampler } from '../src/index.js';

const SMI = '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559, 40212, 87\n1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559, 3, [N/A]\n';
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
};

describe('resource sampler', () => {
  it('samples CPU, memory and every GPU nvidia-smi reports, until stopped', async () => {
    const samples: ResourceSampleEvent[] = [];
    let calls = 0;
    const stop = startResourceSampler((s) => samples.push(s), {
      intervalMs: 20,
      exec: async () => {
        calls += 1;
        return { stdout: SMI };
      },
    });
    await until(() => samples.length >= 3);
    await stop();
    const count = samples.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(samples.length).toBe(count);
    expect(calls).toBe(count);
    const [first] = samples;
    expect(first?.gpus).toEqual([
      { index: 0, memoryTotalMb: 81559, memoryUsedMb: 40212, utilizationPct: 87 },
      { index: 1, memoryTotalMb: 81559, memoryUsedMb: 3 },
    ]);
    expect(first?.memoryTotalMb).toBe(Math.round(totalmem() / 2 ** 20));
    for (const s of samples) {
      expect(s.cpuPct).toBeGreaterThanOrEqual(0);
      expect(s.cpuPct).toBeLessThanOrEqual(100);
      expect(s.memoryUsedMb).toBeGreaterThan(0);
      expect(s.memoryUsedMb).toBeLessThanOrEqual(s.memoryTotalMb);
      expect(s.rssMb).toBeGreaterThan(0);
    }
  });

  it('asks nvidia-smi once on a machine without it, and samples the rest with gpus null', async () => {
    const samples: ResourceSampleEvent[] = [];
    let calls = 0;
    const stop = startResourceSampler((s) => samples.push(s), {
      intervalMs: 10,
      exec: async () => {
        calls += 1;
        throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
      },
    });
    await until(() => samples.length >= 3);
    await stop();
    expect(calls).toBe(1);
    expect(samples.every((s) => s.gpus === null)).toBe(true);
  });
});
