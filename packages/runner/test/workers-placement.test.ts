import { VhbError } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import { buildWorkerPool, type Gpu, type Machine, type Placement, PlacementError, placeStages, type Stage } from '../src/index.js';

const GB = 1024;

function gpu(index: number, totalMb: number, usedMb = 0, name = 'NVIDIA GeForce RTX 4090'): Gpu {
  return { index, uuid: `GPU-${index}`, name, memoryTotalMb: totalMb, memoryUsedMb: usedMb, memoryFreeMb: totalMb - usedMb };
}

function machine(gpus: Gpu[], cpus = 16, memoryMb = 128 * GB): Machine {
  return { gpus, cpus, memoryMb };
}

const stage = (id: string, needs: Stage['needs'], after?: string[]): Stage => ({ id, needs, ...(after ? { after } : {}) });

/** Each wave as `stage@worker`, to compare schedules at a glance. */
const waves = (schedule: { waves: Placement[][] }): string[][] => schedule.waves.map((wave) => wave.map((p) => `${p.stage}@${p.worker}`));

function refusedBy(fn: () => unknown): PlacementError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlacementError);
    return error as PlacementError;
  }
  throw new Error('expected a PlacementError');
}

function invalid(fn: () => unknown): VhbError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VhbError);
    expect((error as VhbError).code).toBe('VHB_E_PLACEMENT_INVALID');
    return error as VhbError;
  }
  throw new Error('expected VHB_E_PLACEMENT_INVALID');
}

describe('buildWorkerPool', () => {
  it('makes one worker per GPU with its free memory, plus the CPU worker', () => {
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB, 4 * GB), gpu(1, 24 * GB)], 8, 64 * GB), { parallelism: 3 });
    expect(pool.workers.map((w) => [w.id, w.kind, w.gpuMemoryMb])).toEqual([
      ['gpu0', 'gpu', 20 * GB],
      ['gpu1', 'gpu', 24 * GB],
      ['cpu', 'cpu', 0],
    ]);
    expect(pool).toMatchObject({ cpus: 8, memoryMb: 64 * GB, parallelism: 3 });
  });

  it('refuses a parallelism that is not a whole number of at least 1', () => {
    for (const parallelism of [0, -1, 1.5, Number.NaN]) {
      expect(invalid(() => buildWorkerPool(machine([]), { parallelism })).message).toBe(
        `parallelism must be a whole number of at least 1, got ${parallelism}`,
      );
    }
  });
});

describe('placeStages', () => {
  const twoGpus = buildWorkerPool(machine([gpu(0, 24 * GB), gpu(1, 24 * GB)]), { parallelism: 4 });

  it('refuses the 30 GB stage of 20, 20, 10 and 30 GB on two 24 GB GPUs, naming it, its need and the largest GPU', () => {
    const stages = [
      stage('a', { gpuMemoryMb: 20 * GB }),
      stage('b', { gpuMemoryMb: 20 * GB }),
      stage('c', { gpuMemoryMb: 10 * GB }),
      stage('d', { gpuMemoryMb: 30 * GB, declaredBy: { gpu: 'model qwen2-vl-72b' } }),
    ];
    const error = refusedBy(() => placeStages(stages, twoGpus));
    expect(error.code).toBe('VHB_E_PLACEMENT_IMPOSSIBLE');
    expect(error.refused).toEqual([
      {
        stage: 'd',
        reasons: [
          'needs 30720 MB of GPU memory (model qwen2-vl-72b) but the largest GPU has 24576 MB free (GPU 0, NVIDIA GeForce RTX 4090, 24576 MB total)',
        ],
      },
    ]);
    expect(error.message).toBe(
      'a stage fits on no worker: stage "d" needs 30720 MB of GPU memory (model qwen2-vl-72b) but the largest GPU has 24576 MB free (GPU 0, NVIDIA GeForce RTX 4090, 24576 MB total)',
    );
    expect(error.hint).toMatch(/resources/);
  });

  it('makes the 10 GB stage wait for a GPU: it fits beside nothing else on a 24 GB GPU already holding 20', () => {
    const schedule = placeStages(
      [stage('a', { gpuMemoryMb: 20 * GB }), stage('b', { gpuMemoryMb: 20 * GB }), stage('c', { gpuMemoryMb: 10 * GB })],
      twoGpus,
    );
    expect(waves(schedule)).toEqual([['a@gpu0', 'b@gpu1'], ['c@gpu0']]);
    expect(schedule.order.map((p) => [p.stage, p.wave, p.gpuMemoryMb])).toEqual([
      ['a', 0, 20 * GB],
      ['b', 0, 20 * GB],
      ['c', 1, 10 * GB],
    ]);
  });

  it('places largest first, each on the first GPU with room: 20, 12, 10 and 4 GB share two 24 GB GPUs in one wave', () => {
    const stages = [
      stage('s4', { gpuMemoryMb: 4 * GB }),
      stage('s10', { gpuMemoryMb: 10 * GB }),
      stage('s20', { gpuMemoryMb: 20 * GB }),
      stage('s12', { gpuMemoryMb: 12 * GB }),
    ];
    // 20 → gpu0 (4 left); 12 → gpu1 (12 left); 10 → gpu1 (2 left); 4 → gpu0 (0 left).
    expect(waves(placeStages(stages, twoGpus))).toEqual([['s20@gpu0', 's12@gpu1', 's10@gpu1', 's4@gpu0']]);
  });

  it("takes at most the plan's parallelism of stages at once", () => {
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB), gpu(1, 24 * GB)]), { parallelism: 2 });
    const stages = [
      stage('s4', { gpuMemoryMb: 4 * GB }),
      stage('s10', { gpuMemoryMb: 10 * GB }),
      stage('s20', { gpuMemoryMb: 20 * GB }),
      stage('s12', { gpuMemoryMb: 12 * GB }),
    ];
    expect(waves(placeStages(stages, pool))).toEqual([
      ['s20@gpu0', 's12@gpu1'],
      ['s10@gpu0', 's4@gpu0'],
    ]);
  });

  it("shares the host's CPUs and memory among all stages, GPU stages included", () => {
    const pool = buildWorkerPool(machine([gpu(0, 80 * GB)], 4, 32 * GB), { parallelism: 8 });
    const stages = [
      stage('ocr-a', { cpus: 2, memoryMb: 1 * GB }),
      stage('ocr-b', { cpus: 2, memoryMb: 1 * GB }),
      stage('vlm', { gpuMemoryMb: 40 * GB, cpus: 1, memoryMb: 16 * GB }),
      stage('api', {}),
    ];
    // Order: vlm (GPU memory), ocr-a, ocr-b (memory, CPUs), api. vlm takes 1 CPU and 16 GB;
    // ocr-a takes 2 CPUs (1 left), so ocr-b waits; api needs nothing.
    expect(waves(placeStages(stages, pool))).toEqual([['vlm@gpu0', 'ocr-a@cpu', 'api@cpu'], ['ocr-b@cpu']]);
  });

  it('gives a stage that needs a GPU but no memory figure a whole GPU to itself', () => {
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB), gpu(1, 24 * GB, 8 * GB)]), { parallelism: 4 });
    const stages = [stage('small', { gpuMemoryMb: 1 * GB }), stage('whole-a', { gpu: true }), stage('whole-b', { gpu: true })];
    const schedule = placeStages(stages, pool);
    expect(waves(schedule)).toEqual([['whole-a@gpu0', 'whole-b@gpu1'], ['small@gpu0']]);
    expect(schedule.waves[0]!.map((p) => p.gpuMemoryMb)).toEqual([24 * GB, 16 * GB]);
  });

  it('puts a stage after the stages it waits for', () => {
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB)]), { parallelism: 4 });
    const stages = [
      stage('r1/evaluation', { cpus: 1 }, ['r1/inference']),
      stage('r1/inference', { gpuMemoryMb: 16 * GB }),
      stage('r2/inference', { gpuMemoryMb: 16 * GB }),
      stage('r1/reporting', { cpus: 1 }, ['r1/evaluation']),
    ];
    expect(waves(placeStages(stages, pool))).toEqual([
      ['r1/inference@gpu0'],
      ['r2/inference@gpu0', 'r1/evaluation@cpu'],
      ['r1/reporting@cpu'],
    ]);
  });

  it('is deterministic: the same stages give the same schedule, ties in the given order', () => {
    const stages = Array.from({ length: 12 }, (_, i) => stage(`s${i}`, { gpuMemoryMb: (i % 3) * 8 * GB, cpus: 1 }));
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB), gpu(1, 24 * GB)], 6), { parallelism: 5 });
    const first = placeStages(stages, pool);
    expect(placeStages(stages, pool)).toEqual(first);
    // 16 GB: s2 s5 s8 s11; 8 GB: s1 s4 s7 s10; none: s0 s3 s6 s9. 5 at once, 6 CPUs.
    expect(waves(first)).toEqual([
      ['s2@gpu0', 's5@gpu1', 's1@gpu0', 's4@gpu1', 's0@cpu'],
      ['s8@gpu0', 's11@gpu1', 's7@gpu0', 's10@gpu1', 's3@cpu'],
      ['s6@cpu', 's9@cpu'],
    ]);
  });

  it('refuses a GPU stage on a machine with no GPU, with the discovery reason', () => {
    const pool = buildWorkerPool(
      { gpus: [], cpus: 2, memoryMb: 4 * GB, reason: 'nvidia-smi is not installed (not found on PATH): CPU-only workers' },
      { parallelism: 1 },
    );
    const error = refusedBy(() => placeStages([stage('r/inference', { gpu: true }), stage('r/evaluation', { cpus: 1 })], pool));
    expect(error.refused).toEqual([
      {
        stage: 'r/inference',
        reasons: ['needs a whole GPU but the machine has no GPU (nvidia-smi is not installed (not found on PATH): CPU-only workers)'],
      },
    ]);
  });

  it('names every refused stage and every need it exceeds, at once', () => {
    const pool = buildWorkerPool(machine([gpu(0, 24 * GB)], 2, 8 * GB), { parallelism: 2 });
    const error = refusedBy(() =>
      placeStages(
        [
          stage('big', { gpuMemoryMb: 40 * GB, cpus: 4, declaredBy: { cpus: 'adapter adapter-tesseract' } }),
          stage('ok', { cpus: 2 }),
          stage('greedy', { memoryMb: 9 * GB, declaredBy: { memoryMb: 'model tesseract-rus' } }),
        ],
        pool,
      ),
    );
    expect(error.refused).toEqual([
      {
        stage: 'big',
        reasons: [
          'needs 40960 MB of GPU memory but the largest GPU has 24576 MB free (GPU 0, NVIDIA GeForce RTX 4090, 24576 MB total)',
          'needs 4 CPUs (adapter adapter-tesseract) but the machine has 2',
        ],
      },
      { stage: 'greedy', reasons: ['needs 9216 MB of memory (model tesseract-rus) but the machine has 8192 MB'] },
    ]);
    expect(error.message).toMatch(
      /^2 stages fit on no worker: stage "big" needs 40960 MB .*, and needs 4 CPUs .*; stage "greedy" needs 9216 MB/,
    );
  });

  it('measures a GPU by its free memory, not its total', () => {
    const pool = buildWorkerPool(machine([gpu(0, 80 * GB, 70 * GB, 'NVIDIA H100 80GB HBM3')]), { parallelism: 1 });
    expect(refusedBy(() => placeStages([stage('s', { gpuMemoryMb: 20 * GB })], pool)).refused[0]!.reasons).toEqual([
      'needs 20480 MB of GPU memory but the largest GPU has 10240 MB free (GPU 0, NVIDIA H100 80GB HBM3, 81920 MB total)',
    ]);
  });

  it('refuses duplicate ids, unknown or circular `after` and negative needs', () => {
    expect(invalid(() => placeStages([stage('a', {}), stage('a', {})], twoGpus)).message).toBe('stage "a" is given twice');
    expect(invalid(() => placeStages([stage('a', {}, ['b'])], twoGpus)).message).toBe(
      'stage "a" comes after "b", which is not among the stages',
    );
    expect(invalid(() => placeStages([stage('a', { cpus: -1 })], twoGpus)).message).toBe('stage "a" needs cpus = -1');
    expect(invalid(() => placeStages([stage('x', {}), stage('a', {}, ['b']), stage('b', {}, ['a'])], twoGpus)).message).toBe(
      'stages cannot start: their `after` links form a cycle: "a", "b"',
    );
  });

  it('gives an empty schedule for no stages', () => {
    expect(placeStages([], twoGpus)).toEqual({ waves: [], order: [] });
  });
});
