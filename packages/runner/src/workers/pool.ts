import { VhbError } from '@vhb/sdk';
import type { Gpu, Machine } from './gpus.js';

/** A place a stage can run: one GPU, or the host's CPUs. */
export interface Worker {
  /** `gpu0`, `gpu1`, … (by nvidia-smi index), or `cpu`. */
  id: string;
  kind: 'gpu' | 'cpu';
  /** GPU memory free for stages, in MB (the GPU's free memory when discovered); 0 for the CPU worker. */
  gpuMemoryMb: number;
  /** The GPU, for a GPU worker. */
  gpu?: Gpu;
}

/**
 * The workers of one machine and the host capacity they share: every stage, on a GPU or not,
 * takes its CPUs and memory from `cpus` and `memoryMb`; at most `parallelism` stages run at once.
 */
export interface WorkerPool {
  workers: Worker[];
  cpus: number;
  memoryMb: number;
  parallelism: number;
  /** Why the pool has no GPU worker (from discovery), for messages. */
  reason?: string;
}

/**
 * One worker per GPU (with its free memory) plus one CPU worker holding the host's CPUs and memory.
 * `parallelism` (the plan's) bounds how many stages run at once; it must be a whole number ≥ 1.
 */
export function buildWorkerPool(machine: Machine, options: { parallelism: number }): WorkerPool {
  const { parallelism } = options;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new VhbError('VHB_E_PLACEMENT_INVALID', `parallelism must be a whole number of at least 1, got ${parallelism}`, {
      hint: "set the plan's `parallelism:` to 1 or more",
    });
  }
  const workers: Worker[] = machine.gpus.map((gpu) => ({ id: `gpu${gpu.index}`, kind: 'gpu', gpuMemoryMb: gpu.memoryFreeMb, gpu }));
  workers.push({ id: 'cpu', kind: 'cpu', gpuMemoryMb: 0 });
  return {
    workers,
    cpus: machine.cpus,
    memoryMb: machine.memoryMb,
    parallelism,
    ...(machine.reason && machine.gpus.length === 0 ? { reason: machine.reason } : {}),
  };
}
