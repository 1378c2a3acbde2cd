import type { Plan, RunnerEvent, RunOutcome } from '@vhb/runner';
import { EXIT } from '../exit-codes.js';
import { interruptible } from '../ui/interrupt.js';
import type { Output } from '../ui/output.js';
import { Progress } from '../ui/progress.js';
import { summaryLines } from '../ui/summary.js';

/** What `watchPlan` hands to the work it watches. */
export interface Watch {
  onEvent: (event: RunnerEvent) => void;
  /** Aborts on Ctrl-C. */
  signal: AbortSignal;
}

/**
 * Runs `work` with a live progress bar per run of `plan` and Ctrl-C handled (`stopping` is what the
 * user is told then); prints the final table and returns the exit code: 130 when interrupted, else
 * failed or ok by the runs' outcomes. The bars are stopped however `work` ends.
 */
export async function watchPlan(
  output: Output,
  plan: Plan,
  cwd: string,
  stopping: string,
  work: (watch: Watch) => Promise<{ outcomes: RunOutcome[]; interrupted?: boolean }>,
): Promise<number> {
  const progress = new Progress(
    output,
    plan.runs.map((r) => r.name),
  );
  const interrupt = interruptible(output, stopping);
  try {
    const result = await work({ onEvent: progress.handle, signal: interrupt.signal });
    progress.stop();
    for (const line of summaryLines(result.outcomes, cwd)) output.out(line);
    if (result.interrupted ?? interrupt.signal.aborted) return 130;
    return result.outcomes.some((o) => o.status === 'failed') ? EXIT.runFailed : EXIT.ok;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
