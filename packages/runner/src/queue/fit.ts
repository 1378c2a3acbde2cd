import { buildWorkerPool, type Gpu, type Machine, type Placement, PlacementError, placeStages, type StageNeeds } from '../workers/index.js';

/**
 * Whether a run can start on this worker now. When it can: where (`placement`) and the machine to
 * run it on (its GPU alone, with what the held runs leave of it, and of the host). When not:
 * whether it never can (too big for this machine) or must wait for a held run to finish.
 */
export type Fit = { ok: true; placement: Placement; machine: Machine } | { ok: false; never: boolean; reason: string };

interface Held {
  needs: StageNeeds;
  placement: Placement;
}

const wholeGpu = (needs: StageNeeds): boolean => needs.gpu === true && needs.gpuMemoryMb === undefined;

/**
 * The runs a worker holds and what they take of its machine, with the same placement rules as a
 * local plan (`placeStages`). A candidate is placed alone on what the held runs leave — each GPU's
 * free memory less what runs on it (a GPU taken whole, or partly used when a whole one is asked
 * for, is not offered), the host's CPUs and memory less theirs — within `concurrency` runs at once.
 */
export class Ledger {
  private readonly held = new Map<string, Held>();

  constructor(
    readonly machine: Machine,
    readonly concurrency: number,
  ) {
    buildWorkerPool(machine, { parallelism: concurrency });
  }

  /** How many runs are held. */
  get size(): number {
    return this.held.size;
  }

  check(needs: StageNeeds): Fit {
    try {
      placeStages([{ id: 'run', needs }], buildWorkerPool(this.machine, { parallelism: 1 }));
    } catch (error) {
      if (!(error instanceof PlacementError)) throw error;
      return { ok: false, never: true, reason: error.refused.flatMap((r) => r.reasons).join(', and ') };
    }
    const busy = { ok: false, never: false, reason: `busy with ${this.held.size} run${this.held.size === 1 ? '' : 's'}` } as const;
    if (this.held.size >= this.concurrency) return busy;
    const left = this.remaining(wholeGpu(needs));
    let placement: Placement | undefined;
    try {
      placement = placeStages([{ id: 'run', needs }], buildWorkerPool(left, { parallelism: 1 })).order[0];
    } catch (error) {
      if (!(error instanceof PlacementError)) throw error;
    }
    if (!placement) return busy;
    const gpu = left.gpus.find((g) => `gpu${g.index}` === placement.worker);
    return { ok: true, placement, machine: { ...left, gpus: gpu ? [gpu] : [] } };
  }

  hold(id: string, needs: StageNeeds, placement: Placement): void {
    this.held.set(id, { needs, placement });
  }

  release(id: string): void {
    this.held.delete(id);
  }

  /** What the held runs leave of the machine; `untouched`: only GPUs no held run uses. */
  private remaining(untouched: boolean): Machine {
    const used = new Map<number, number>();
    const whole = new Set<number>();
    let cpus = this.machine.cpus;
    let memoryMb = this.machine.memoryMb;
    for (const { needs, placement } of this.held.values()) {
      cpus -= placement.cpus;
      memoryMb -= placement.memoryMb;
      const index = placement.worker.startsWith('gpu') ? Number(placement.worker.slice(3)) : undefined;
      if (index === undefined) continue;
      used.set(index, (used.get(index) ?? 0) + placement.gpuMemoryMb);
      if (wholeGpu(needs)) whole.add(index);
    }
    const gpus: Gpu[] = this.machine.gpus
      .filter((g) => !whole.has(g.index) && !(untouched && used.has(g.index)))
      .map((g) => ({ ...g, memoryFreeMb: Math.max(0, g.memoryFreeMb - (used.get(g.index) ?? 0)) }));
    return { ...this.machine, gpus, cpus: Math.max(0, cpus), memoryMb: Math.max(0, memoryMb) };
  }
}
