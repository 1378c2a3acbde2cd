import { execFile } from 'node:child_process';
import { cpus as hostCpus, totalmem } from 'node:os';

/** One GPU as `nvidia-smi --query-gpu` reports it. Memory in MiB (nvidia-smi's "MiB", written MB here as everywhere). */
export interface Gpu {
  /** nvidia-smi's index (what `CUDA_VISIBLE_DEVICES` takes). */
  index: number;
  /** `GPU-…` identifier, stable across reboots. */
  uuid: string;
  name: string;
  /** Total memory in MB; 0 when nvidia-smi reported none (`[N/A]`). */
  memoryTotalMb: number;
  /** Memory in use in MB; undefined when nvidia-smi reported none. */
  memoryUsedMb?: number;
  /** Memory free for new work: total minus used (total when used is unknown). */
  memoryFreeMb: number;
  /** GPU utilisation in percent; undefined when not reported (MIG mode, `[N/A]`, `[Not Supported]`). */
  utilizationPct?: number;
}

/** What a machine offers: its GPUs, CPU cores and memory. */
export interface Machine {
  gpus: Gpu[];
  /** Host CPU cores (`os.cpus()`). */
  cpus: number;
  /** Host memory in MB (`os.totalmem()`). */
  memoryMb: number;
  /** Why there are no GPUs (nvidia-smi absent or failing), or which lines of its output were not understood. */
  reason?: string;
}

/** Runs a program and gives its stdout; rejects when it cannot start or exits non-zero. */
export type Exec = (file: string, args: string[]) => Promise<{ stdout: string }>;

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu', '--format=csv,noheader,nounits'];

const defaultExec =
  (timeoutMs: number): Exec =>
  (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr: String(stderr) }));
        else resolve({ stdout: String(stdout) });
      });
    });

/** A number nvidia-smi wrote, or undefined for its placeholders (`[N/A]`, `N/A`, `[Not Supported]`, `[Unknown Error]`). */
function reading(field: string): number | undefined {
  const text = field.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Parses the output of `nvidia-smi` with {@link NVIDIA_SMI_ARGS}: one GPU a line,
 * `index, uuid, name, memory.total, memory.used, utilization.gpu`. A name may itself hold commas:
 * the first two and the last three fields are taken from the ends. Lines that are not a GPU
 * (no numeric index, too few fields) are returned in `skipped`.
 */
export function parseNvidiaSmi(stdout: string): { gpus: Gpu[]; skipped: string[] } {
  const gpus: Gpu[] = [];
  const skipped: string[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((f) => f.trim());
    const index = fields.length >= 6 ? reading(fields[0]!) : undefined;
    if (index === undefined || !Number.isInteger(index) || index < 0) {
      skipped.push(line);
      continue;
    }
    const [total, used, utilization] = fields.slice(-3).map(reading);
    const memoryTotalMb = total ?? 0;
    gpus.push({
      index,
      uuid: fields[1]!,
      name: fields.slice(2, -3).join(', '),
      memoryTotalMb,
      ...(used === undefined ? {} : { memoryUsedMb: used }),
      memoryFreeMb: Math.max(0, memoryTotalMb - (used ?? 0)),
      ...(utilization === undefined ? {} : { utilizationPct: utilization }),
    });
  }
  gpus.sort((a, b) => a.index - b.index);
  return { gpus, skipped };
}

/** Why running nvidia-smi gave nothing, in one line. */
function failure(error: unknown): string {
  const e = error as { code?: unknown; killed?: boolean; stderr?: string; message?: string };
  if (e?.code === 'ENOENT') return 'nvidia-smi is not installed (not found on PATH): CPU-only workers';
  if (e?.killed) return 'nvidia-smi did not answer in time: CPU-only workers';
  const detail = (e?.stderr ?? '').trim().split('\n')[0] || e?.message || String(error);
  const exit = typeof e?.code === 'number' ? ` (exit ${e.code})` : '';
  return `nvidia-smi failed${exit}: ${detail.trim()}: CPU-only workers`;
}

/**
 * What this machine offers: its GPUs from `nvidia-smi --query-gpu` (none, with the `reason`, when
 * nvidia-smi is absent, fails or lists none) and its CPU cores and memory. Never throws.
 * `exec` runs the program (tests pass one that replays captured output); `timeoutMs` bounds it (default 10 s).
 */
export async function discoverGpus(options: { exec?: Exec; timeoutMs?: number } = {}): Promise<Machine> {
  const exec = options.exec ?? defaultExec(options.timeoutMs ?? 10_000);
  const host = { cpus: Math.max(1, hostCpus().length), memoryMb: Math.floor(totalmem() / 2 ** 20) };
  let stdout: string;
  try {
    ({ stdout } = await exec('nvidia-smi', NVIDIA_SMI_ARGS));
  } catch (error) {
    return { gpus: [], ...host, reason: failure(error) };
  }
  const { gpus, skipped } = parseNvidiaSmi(stdout);
  if (gpus.length === 0) {
    const why = skipped.length ? `nvidia-smi listed no GPU it could read (${JSON.stringify(skipped[0])})` : 'nvidia-smi listed no GPU';
    return { gpus, ...host, reason: `${why}: CPU-only workers` };
  }
  return {
    gpus,
    ...host,
    ...(skipped.length ? { reason: `ignored nvidia-smi lines: ${skipped.map((s) => JSON.stringify(s)).join('; ')}` } : {}),
  };
}
