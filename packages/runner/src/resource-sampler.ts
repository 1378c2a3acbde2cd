import { cpus, freemem, totalmem } from 'node:os';
import { discoverGpus, type Exec } from './workers/gpus.js';

/** One GPU in a resource sample. Memory in MB; undefined fields were not reported by nvidia-smi. */
export interface GpuSample {
  index: number;
  memoryUsedMb?: number;
  memoryTotalMb: number;
  utilizationPct?: number;
}

/** What the machine was using at one moment while the plan ran (published every few seconds). */
export interface ResourceSampleEvent {
  type: 'resource-sample';
  /** Busy share of all CPU cores since the previous sample, in percent. */
  cpuPct: number;
  /** Memory in use on the host, and in all, in MB. */
  memoryUsedMb: number;
  memoryTotalMb: number;
  /** Resident memory of this process, in MB. */
  rssMb: number;
  /** The GPUs nvidia-smi reports; null on a machine without them. */
  gpus: GpuSample[] | null;
}

export interface ResourceSamplerOptions {
  /** Time between samples in ms (default 2000). */
  intervalMs?: number;
  /** Whether the machine has GPUs, when the caller knows: `false` never asks nvidia-smi. Default: ask it. */
  gpus?: boolean;
  /** Runs nvidia-smi (tests pass one that replays captured output). */
  exec?: Exec;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Publishes a {@link ResourceSampleEvent} now and every `intervalMs` until the returned function
 * is called (which waits for a sample under way). nvidia-smi is asked only while it answers: a
 * machine without it is sampled for CPU and memory alone.
 */
export function startResourceSampler(
  publish: (event: ResourceSampleEvent) => void,
  options: ResourceSamplerOptions = {},
): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 2000;
  let last = cpuTimes();
  let gpusAnswer = options.gpus ?? true;
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();

  const sample = async () => {
    const now = cpuTimes();
    const total = now.total - last.total;
    const cpuPct = total > 0 ? Math.round((1000 * (now.busy - last.busy)) / total) / 10 : 0;
    last = now;
    let gpus: GpuSample[] | null = null;
    if (gpusAnswer) {
      const machine = await discoverGpus(options.exec ? { exec: options.exec } : {});
      gpusAnswer = machine.gpus.length > 0;
      if (gpusAnswer) {
        gpus = machine.gpus.map(({ index, memoryUsedMb, memoryTotalMb, utilizationPct }) => ({
          index,
          memoryTotalMb,
          ...(memoryUsedMb === undefined ? {} : { memoryUsedMb }),
          ...(utilizationPct === undefined ? {} : { utilizationPct }),
        }));
      }
    }
    if (stopped) return;
    publish({
      type: 'resource-sample',
      cpuPct,
      memoryUsedMb: mb(totalmem() - freemem()),
      memoryTotalMb: mb(totalmem()),
      rssMb: mb(process.memoryUsage.rss()),
      gpus,
    });
  };
  const tick = () => {
    pending = pending.then(sample).catch(() => {});
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pending;
    stopped = true;
  };
}
