import type { Placement } from './placement.js';
import type { WorkerPool } from './pool.js';

interface Waiting {
  placement: Placement;
  start: () => void;
}

/**
 * Holds a pool's capacity while stages run: a stage starts when its worker has the GPU memory it
 * was placed with and the host has its CPUs and memory, first come first served (a stage that must
 * wait holds back the ones after it, so a large stage is never starved). Every placement fits the
 * empty pool — `placeStages` refused the others — so every stage starts eventually.
 */
export class ResourceGate {
  private readonly gpuFree = new Map<string, number>();
  private cpusFree: number;
  private memoryFree: number;
  private readonly queue: Waiting[] = [];

  constructor(pool: WorkerPool) {
    for (const worker of pool.workers) this.gpuFree.set(worker.id, worker.gpuMemoryMb);
    this.cpusFree = pool.cpus;
    this.memoryFree = pool.memoryMb;
  }

  /** Resolves once the placement's resources are held; call the returned function to give them back. */
  acquire(placement: Placement): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push({ placement, start: () => resolve(() => this.release(placement)) });
      this.drain();
    });
  }

  private fits(p: Placement): boolean {
    return (this.gpuFree.get(p.worker) ?? 0) >= p.gpuMemoryMb && this.cpusFree >= p.cpus && this.memoryFree >= p.memoryMb;
  }

  private take(p: Placement, sign: 1 | -1): void {
    this.gpuFree.set(p.worker, (this.gpuFree.get(p.worker) ?? 0) - sign * p.gpuMemoryMb);
    this.cpusFree -= sign * p.cpus;
    this.memoryFree -= sign * p.memoryMb;
  }

  private release(placement: Placement): void {
    this.take(placement, -1);
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.fits((this.queue[0] as Waiting).placement)) {
      const next = this.queue.shift() as Waiting;
      this.take(next.placement, 1);
      next.start();
    }
  }
}
