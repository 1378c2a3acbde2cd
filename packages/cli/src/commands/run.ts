import { isAbsolute, relative } from 'node:path';
import { planExperiment, resolveTrackerUrl, runExperiment } from '@vhb/runner';
import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import type { Output } from '../ui/output.js';
import { VERSION } from '../version.js';
import { runOnQueueCommand } from './run-queue.js';
import { watchPlan } from './watch-plan.js';

export const DEFAULT_PLAN = 'demo';

export interface RunOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  fresh?: boolean;
  update?: boolean;
  /** Where the stage tracker lives (`--tracker`): a PostgreSQL URL, `sqlite:<path>` or a path; else VHB_TRACKER_URL, else results/<plan>/tracker.sqlite. */
  tracker?: string;
  /** `--queue redis://…`: queue the runs for `vhb worker`s instead of running them here. */
  queue?: string;
}

/** `vhb run [plan]`: validates the plan, then runs it with progress, and prints the summary table. */
export async function runCommand(planArg: string | undefined, options: RunOptions, output: Output): Promise<number> {
  const project = await openProject(options, output);
  const planName = planArg ?? DEFAULT_PLAN;
  const diagnostics = project.registry.validatePlan(planName);
  if (printDiagnostics(output, diagnostics) > 0) return EXIT.invalidInput;

  const plan = planExperiment(project.registry, project.config, planName);
  output.err(
    `VLMHyperBench ${VERSION} · plan ${plan.name} (${isAbsolute(plan.file) ? relative(options.cwd, plan.file) : plan.file}) · RUN_MODE=${project.config.runMode}`,
  );
  if (options.queue) return runOnQueueCommand(project, plan, planName, { ...options, queue: options.queue }, output);
  return watchPlan(
    output,
    plan,
    options.cwd,
    'stopping after the items in flight — answers so far are saved; run the same command to continue',
    ({ onEvent, signal }) =>
      runExperiment({
        registry: project.registry,
        host: project.host,
        plan,
        onEvent,
        signal,
        fresh: options.fresh,
        updatePlugins: options.update,
        tracker: resolveTrackerUrl(options.tracker, { cwd: options.cwd }),
      }),
  );
}
