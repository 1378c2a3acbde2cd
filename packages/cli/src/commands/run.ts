import { isAbsolute, relative } from 'node:path';
import { planExperiment, runExperiment } from '@vhb/runner';
import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import { type Output, paint } from '../ui/output.js';
import { Progress } from '../ui/progress.js';
import { summaryLines } from '../ui/summary.js';
import { VERSION } from '../version.js';

export const DEFAULT_PLAN = 'demo';

export interface RunOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  fresh?: boolean;
  update?: boolean;
}

/** Ctrl-C once stops starting new items (what is answered stays on disk); twice exits at once. */
function interruptible(output: Output): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    output.err(
      paint(output).yellow(
        '\n⏸ stopping after the items in flight — answers so far are saved; run the same command to continue (Ctrl-C again to quit now)',
      ),
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
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
  const progress = new Progress(
    output,
    plan.runs.map((r) => r.name),
  );
  const interrupt = interruptible(output);
  try {
    const result = await runExperiment({
      registry: project.registry,
      host: project.host,
      plan,
      onEvent: progress.handle,
      signal: interrupt.signal,
      fresh: options.fresh,
      updatePlugins: options.update,
    });
    progress.stop();
    for (const line of summaryLines(result.outcomes, options.cwd)) output.out(line);
    if (interrupt.signal.aborted) return 130;
    return result.outcomes.some((o) => o.status === 'failed') ? EXIT.runFailed : EXIT.ok;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
