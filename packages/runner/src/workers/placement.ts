import { VhbError } from '@vhb/sdk';
import type { Worker, WorkerPool } from './pool.js';

/** What one stage needs to run. Absent numbers are 0. */
export interface StageNeeds {
  /** Runs on a GPU. Implied by `gpuMemoryMb` > 0; with no `gpuMemoryMb`, the stage takes a whole GPU. */
  gpu?: boolean;
  /** GPU memory in MB, on one GPU. */
  gpuMemoryMb?: number;
  /** Host CPU cores it keeps busy. */
  cpus?: number;
  /** Host memory in MB. */
  memoryMb?: number;
  /** Who declared each need (`model qwen2-vl-7b`, `adapter adapter-openai`), named in messages. */
  declaredBy?: { gpu?: string; cpus?: string; memoryMb?: string };
}

/** A unit of work to place. Stages given together are independent unless `after` says otherwise. */
export interface Stage {
  /** Unique among the stages placed together (`<run>/inference`). */
  id: string;
  needs: StageNeeds;
  /** Ids of stages that must finish first: the stage goes in a later wave than each of them. */
  after?: string[];
}

/** Where and when a stage runs, and what it holds there. */
export interface Placement {
  stage: string;
  /** Worker id: `gpu0`, `gpu1`, …, or `cpu`. */
  worker: string;
  /** 0-based wave: every stage of a wave runs at once; a wave starts when the one before it has finished. */
  wave: number;
  /** GPU memory reserved on the worker, in MB (the whole GPU's for a stage that takes one). */
  gpuMemoryMb: number;
  cpus: number;
  memoryMb: number;
}

/** The stages in waves, and the same placements as one queue (wave by wave). */
export interface Schedule {
  waves: Placement[][];
  order: Placement[];
}

/** A stage that fits on no worker of the pool, even alone. */
export interface Refusal {
  stage: string;
  /** Each need that cannot be met, with the most the pool offers for it. */
  reasons: string[];
}

/** Raised by {@link placeStages} when a stage fits nowhere (`VHB_E_PLACEMENT_IMPOSSIBLE`): every refused stage is in `refused`. */
export class PlacementError extends VhbError {
  readonly refused: Refusal[];
  constructor(refused: Refusal[]) {
    const lines = refused.map((r) => `stage "${r.stage}" ${r.reasons.join(', and ')}`);
    super(
      'VHB_E_PLACEMENT_IMPOSSIBLE',
      `${refused.length === 1 ? 'a stage fits' : `${refused.length} stages fit`} on no worker: ${lines.join('; ')}`,
      {
        hint: "lower the model's or plugin's declared `resources`, choose a smaller model, or run the plan on a machine that has the resources",
      },
    );
    this.refused = refused;
  }
}

const needsGpu = (needs: StageNeeds): boolean => needs.gpu === true || (needs.gpuMemoryMb ?? 0) > 0;
const by = (who: string | undefined): string => (who ? ` (${who})` : '');

function describeGpu(worker: Worker): string {
  const gpu = worker.gpu;
  return gpu ? `GPU ${gpu.index}, ${gpu.name}, ${gpu.memoryTotalMb} MB total` : worker.id;
}

/** Why a stage cannot run on the pool even when nothing else runs; empty when it can. */
function refusal(stage: Stage, pool: WorkerPool): string[] {
  const { needs } = stage;
  const reasons: string[] = [];
  const gpus = pool.workers.filter((w) => w.kind === 'gpu');
  if (needsGpu(needs)) {
    const memory = needs.gpuMemoryMb ?? 0;
    const what = memory > 0 ? `${memory} MB of GPU memory` : 'a whole GPU';
    if (gpus.length === 0) {
      reasons.push(`needs ${what}${by(needs.declaredBy?.gpu)} but the machine has no GPU${pool.reason ? ` (${pool.reason})` : ''}`);
    } else {
      const largest = gpus.reduce((a, b) => (b.gpuMemoryMb > a.gpuMemoryMb ? b : a));
      if (memory > largest.gpuMemoryMb) {
        reasons.push(
          `needs ${what}${by(needs.declaredBy?.gpu)} but the largest GPU has ${largest.gpuMemoryMb} MB free (${describeGpu(largest)})`,
        );
      }
    }
  }
  if ((needs.cpus ?? 0) > pool.cpus) reasons.push(`needs ${needs.cpus} CPUs${by(needs.declaredBy?.cpus)} but the machine has ${pool.cpus}`);
  if ((needs.memoryMb ?? 0) > pool.memoryMb) {
    reasons.push(`needs ${needs.memoryMb} MB of memory${by(needs.declaredBy?.memoryMb)} but the machine has ${pool.memoryMb} MB`);
  }
  return reasons;
}

function checkInput(stages: readonly Stage[]): void {
  const ids = new Set<string>();
  for (const stage of stages) {
    if (ids.has(stage.id)) {
      throw new VhbError('VHB_E_PLACEMENT_INVALID', `stage "${stage.id}" is given twice`, { hint: 'give every stage a unique id' });
    }
    ids.add(stage.id);
    for (const [field, value] of Object.entries(stage.needs)) {
      if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
        throw new VhbError('VHB_E_PLACEMENT_INVALID', `stage "${stage.id}" needs ${field} = ${value}`, {
          hint: 'declared resources are numbers of 0 or more',
        });
      }
    }
  }
  for (const stage of stages) {
    for (const dep of stage.after ?? []) {
      if (!ids.has(dep)) {
        throw new VhbError('VHB_E_PLACEMENT_INVALID', `stage "${stage.id}" comes after "${dep}", which is not among the stages`, {
          hint: 'place a stage together with the stages it waits for',
        });
      }
    }
  }
}

/** Largest first: whole GPUs, then GPU memory, host memory, CPUs; ties keep the given order. */
function decreasing(stages: readonly Stage[]): Stage[] {
  const key = (s: Stage): number[] => {
    const n = s.needs;
    const whole = needsGpu(n) && n.gpuMemoryMb === undefined ? 1 : 0;
    return [whole, n.gpuMemoryMb ?? 0, n.memoryMb ?? 0, n.cpus ?? 0];
  };
  return stages
    .map((stage, index) => ({ stage, index, key: key(stage) }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i]! - a.key[i]!;
      return a.index - b.index;
    })
    .map((s) => s.stage);
}

/**
 * Places stages on a pool: greedy first-fit-decreasing, wave by wave. Each wave starts with the
 * pool empty and takes, largest first, every ready stage (all of its `after` in earlier waves)
 * that fits beside those already taken: on the first GPU (by index) with the GPU memory free, the
 * host's CPUs and memory permitting, at most `pool.parallelism` stages. A stage with no GPU need
 * runs on the `cpu` worker. Deterministic: the same stages and pool give the same schedule.
 * Throws {@link PlacementError} (`VHB_E_PLACEMENT_IMPOSSIBLE`) naming every stage that fits on no
 * worker even alone, and `VHB_E_PLACEMENT_INVALID` for duplicate ids, unknown or circular `after`,
 * negative needs.
 */
export function placeStages(stages: readonly Stage[], pool: WorkerPool): Schedule {
  checkInput(stages);
  const refused = stages.flatMap((stage) => {
    const reasons = refusal(stage, pool);
    return reasons.length ? [{ stage: stage.id, reasons }] : [];
  });
  if (refused.length) throw new PlacementError(refused);

  const waveOf = new Map<string, number>();
  const waves: Placement[][] = [];
  let remaining = decreasing(stages);
  while (remaining.length) {
    const wave = waves.length;
    const gpuFree = new Map(pool.workers.map((w) => [w.id, w.gpuMemoryMb]));
    const busy = new Set<string>();
    const whole = new Set<string>();
    let cpus = pool.cpus;
    let memoryMb = pool.memoryMb;
    const placed: Placement[] = [];
    const waiting: Stage[] = [];
    for (const stage of remaining) {
      const n = stage.needs;
      const ready = (stage.after ?? []).every((dep) => (waveOf.get(dep) ?? wave) < wave);
      const hostFits = (n.cpus ?? 0) <= cpus && (n.memoryMb ?? 0) <= memoryMb;
      const worker =
        ready && hostFits && placed.length < pool.parallelism
          ? pool.workers.find((w) => {
              if (!needsGpu(n)) return w.kind === 'cpu';
              if (w.kind !== 'gpu' || whole.has(w.id)) return false;
              if (n.gpuMemoryMb === undefined) return !busy.has(w.id);
              return n.gpuMemoryMb <= gpuFree.get(w.id)!;
            })
          : undefined;
      if (!worker) {
        waiting.push(stage);
        continue;
      }
      const gpuMemoryMb = needsGpu(n) ? (n.gpuMemoryMb ?? gpuFree.get(worker.id)!) : 0;
      if (needsGpu(n)) {
        gpuFree.set(worker.id, gpuFree.get(worker.id)! - gpuMemoryMb);
        busy.add(worker.id);
        if (n.gpuMemoryMb === undefined) whole.add(worker.id);
      }
      cpus -= n.cpus ?? 0;
      memoryMb -= n.memoryMb ?? 0;
      placed.push({ stage: stage.id, worker: worker.id, wave, gpuMemoryMb, cpus: n.cpus ?? 0, memoryMb: n.memoryMb ?? 0 });
    }
    if (placed.length === 0) {
      // Every stage fits alone (checked above), so only `after` can hold them all back: a cycle.
      throw new VhbError(
        'VHB_E_PLACEMENT_INVALID',
        `stages cannot start: their \`after\` links form a cycle: ${waiting.map((s) => `"${s.id}"`).join(', ')}`,
        {
          hint: 'remove one of the `after` links between them',
        },
      );
    }
    for (const p of placed) waveOf.set(p.stage, wave);
    waves.push(placed);
    remaining = waiting;
  }
  return { waves, order: waves.flat() };
}
