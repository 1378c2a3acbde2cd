import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { VhbError, z } from '@vhb/sdk';
import type { BusEvent } from '../event-bus.js';
import type { StageNeeds } from '../workers/index.js';

/**
 * The resource classes, one queue each: a worker listens only to the classes its machine can
 * serve (a machine without a GPU never sees a `gpu` run). BullMQ has no routing by capability.
 */
export type ResourceClass = 'gpu' | 'cpu';
export const RESOURCE_CLASSES: readonly ResourceClass[] = ['gpu', 'cpu'];

/** The queues' common name: runs go to `vhb-gpu` and `vhb-cpu`. */
export const DEFAULT_QUEUE_NAME = 'vhb';

/** The BullMQ queue of a class (BullMQ forbids `:` in queue names). */
export function queueNameOf(base: string, cls: ResourceClass): string {
  return `${base}-${cls}`;
}

/** The class a run's needs put it in: `gpu` when it needs a GPU (a whole one or some memory), else `cpu`. */
export function classOf(needs: StageNeeds): ResourceClass {
  return needs.gpu === true || (needs.gpuMemoryMb ?? 0) > 0 ? 'gpu' : 'cpu';
}

const amount = z.number().finite().nonnegative().optional();

const needsSchema = z.object({
  gpu: z.boolean().optional(),
  gpuMemoryMb: amount,
  cpus: amount,
  memoryMb: amount,
  declaredBy: z.object({ gpu: z.string().optional(), cpus: z.string().optional(), memoryMb: z.string().optional() }).optional(),
});

/** What one queued job asks a worker to do: run one run of a plan of a project. */
export const runJobSchema = z.object({
  /** The job format; a worker refuses another. */
  version: z.literal(1),
  /** The project folder, absolute: workers see it at the same path (a shared volume). */
  root: z.string().refine(isAbsolute, { message: 'must be an absolute path' }),
  /** The plan as `vhb run` was given it: a name, or a path relative to the project. */
  plan: z.string().min(1),
  run: z.string().min(1),
  mode: z.enum(['prod', 'dev']),
  /** Discard the run's earlier results first. Cleared once done, so a retry after a crash resumes instead. */
  fresh: z.boolean(),
  /** What the run needs (`resourcesOf(...).run`), checked by the worker before it takes the job. */
  resources: needsSchema,
});
export type RunJob = z.infer<typeof runJobSchema>;

/** A job's data, checked; `VHB_E_QUEUE_JOB` names the job and what is wrong. */
export function parseRunJob(data: unknown, jobId: string | undefined): RunJob {
  const result = runJobSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(job)'}: ${issue.message}`).join('; ');
  throw new VhbError('VHB_E_QUEUE_JOB', `job ${jobId ?? '(no id)'} is not a vhb run: ${problems}`, {
    hint: 'queue runs with `vhb run <plan> --queue <url>` from the same vhb version as the workers',
  });
}

const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/**
 * The job id of a run: the same project, plan and run give the same id, so enqueuing twice adds
 * one job. Readable (`<plan>.<run>.<hash>`), without `:` (BullMQ forbids it in ids).
 */
export function jobIdOf(job: Pick<RunJob, 'root' | 'plan' | 'run'>): string {
  const hash = createHash('sha256').update(`${job.root}\u0000${job.plan}\u0000${job.run}`).digest('hex').slice(0, 12);
  return `${safe(job.plan)}.${safe(job.run)}.${hash}`;
}

/**
 * What a worker reports on a job (`job.updateProgress`): a batch of the run's bus events, or why
 * it cannot take the job (it goes back to the queue for another worker).
 */
export const jobProgressSchema = z.union([
  z.object({ worker: z.string(), events: z.array(z.looseObject({ type: z.string() })) }),
  z.object({ worker: z.string(), refused: z.string() }),
]);
export type JobProgress = { worker: string; events: BusEvent[] } | { worker: string; refused: string };
