import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PluginHost } from '@vhb/core';
import { type Logger, VhbError } from '@vhb/sdk';
import type { EventBus } from '../event-bus.js';
import type { RunOutcome } from '../events.js';
import { planExperiment } from '../plan.js';
import { runExperiment } from '../run-experiment.js';
import type { Machine } from '../workers/index.js';
import type { RunJob } from './job.js';
import { ProjectCache } from './projects.js';

export interface RunJobOptions {
  /** Where the run's events go (the worker forwards them to whoever queued it). */
  bus: EventBus;
  signal?: AbortSignal;
  /** What of this machine the run may use (its GPU alone when it needs one): the runner places it there (`CUDA_VISIBLE_DEVICES`). */
  machine?: Machine;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /**
   * Called for a `fresh` job once the run's old results are deleted and before anything new is
   * written: the worker clears `fresh` on the job there, so a retry after a crash resumes.
   */
  onFreshCleared?: () => Promise<void>;
  /** Keeps opened projects between jobs (a worker passes its own); without it the project is read anew. */
  projects?: ProjectCache;
}

/**
 * Runs one queued run on this machine with the real runner: opens the project at the job's root
 * (the same folder the enqueuer saw: a shared volume), plans the plan, and runs only that run,
 * resuming from its predictions.jsonl and the response cache. Events and tracking stay with the
 * enqueuer (no events.jsonl or tracker written here: one writer per plan).
 */
export async function runQueuedRun(job: RunJob, options: RunJobOptions): Promise<RunOutcome> {
  const exists = await stat(job.root).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) {
    throw new VhbError('VHB_E_QUEUE_PROJECT', `the project folder ${job.root} is not on this worker`, {
      hint: 'workers must see the project at the same absolute path as `vhb run --queue` (mount the shared volume there)',
    });
  }
  const env = options.env ?? process.env;
  // A plan given as a path is a file outside the registries: a change to it must be seen too.
  const planFile = /[\\/]/.test(job.plan) || /\.ya?ml$/.test(job.plan) ? [resolve(job.root, job.plan)] : [];
  const { config, registry } = await (options.projects ?? new ProjectCache()).open(job.root, job.mode, env, planFile);
  const problems = registry.validatePlan(job.plan).filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    const first = problems[0];
    throw new VhbError('VHB_E_QUEUE_PLAN', `plan "${job.plan}" in ${job.root} is no longer valid on this worker: ${first?.message}`, {
      hint: 'the registries changed since the runs were queued: run `vhb validate` there, then queue the plan again',
    });
  }
  const plan = planExperiment(registry, config, job.plan);
  const run = plan.runs.find((r) => r.name === job.run);
  if (!run) {
    throw new VhbError('VHB_E_QUEUE_PLAN', `plan "${job.plan}" in ${job.root} no longer has the run "${job.run}"`, {
      hint: 'the plan changed since the runs were queued: queue it again',
    });
  }
  if (job.fresh) {
    await rm(run.spec.outDir, { recursive: true, force: true });
    await options.onFreshCleared?.();
  }
  const host = new PluginHost({
    root: config.root,
    cacheDir: config.cacheDir,
    ...(config.npmRegistry ? { npmRegistry: config.npmRegistry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const result = await runExperiment({
    registry,
    host,
    plan: { ...plan, runs: [run], parallelism: 1 },
    bus: options.bus,
    env,
    fresh: job.fresh,
    eventsFile: false,
    tracker: false,
    // Samples describe a machine, not a run: they stay with the worker rather than go to the enqueuer.
    sampleResourcesMs: false,
    ...(options.machine ? { machine: options.machine } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const outcome = result.outcomes[0];
  if (!outcome) throw new VhbError('VHB_E_RUN_FAILED', `run "${job.run}" ended without an outcome`);
  return outcome;
}
