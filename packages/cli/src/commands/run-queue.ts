import { type Plan, type QueueNotice, resolveTrackerUrl, runOnQueue } from '@vhb/runner';
import { isVhbError } from '@vhb/sdk';
import { EXIT } from '../exit-codes.js';
import type { Project } from '../project.js';
import { interruptible } from '../ui/interrupt.js';
import { type Output, paint, printError } from '../ui/output.js';
import { Progress } from '../ui/progress.js';
import { summaryLines } from '../ui/summary.js';
import type { RunOptions } from './run.js';

/** The enqueuer's lines besides the runs' progress: where the runs went, which worker took each, what went wrong. */
function noticePrinter(output: Output, root: string): (notice: QueueNotice) => void {
  const pc = paint(output);
  return (notice) => {
    if (notice.type === 'queued') {
      const already = notice.runs.filter((r) => r.state === 'queued').length;
      const listening = Object.entries(notice.workers).map(([queue, n]) => `${queue}: ${n} worker${n === 1 ? '' : 's'}`);
      output.err(
        `${pc.cyan('⇢')} queued ${notice.runs.length} run${notice.runs.length === 1 ? '' : 's'} on ${notice.url}${already ? ` (${already} already queued)` : ''} · ${listening.join(', ')}`,
      );
      for (const [queue, n] of Object.entries(notice.workers)) {
        if (n > 0) continue;
        output.err(
          `${pc.yellow('⚠')} no worker listens on ${queue} yet: start \`vhb worker --queue ${notice.url}\` on a machine that sees ${root}`,
        );
      }
    } else if (notice.type === 'started') {
      output.err(`${pc.cyan('▶')} ${notice.run} on worker ${notice.worker}`);
    } else if (notice.type === 'refused') {
      output.err(`${pc.yellow('⇢')} ${notice.run}: worker ${notice.worker} cannot take it (${notice.reason}); it waits for another worker`);
    } else if (notice.type === 'stalled') {
      output.err(
        `${pc.yellow('↻')} ${notice.run}: its worker stopped answering; the run is back in the queue and resumes on another worker`,
      );
    }
  };
}

/**
 * `vhb run <plan> --queue <url>`: prepares the plan here, queues one job per run for the
 * `vhb worker`s, and shows their progress and the final table as a local run does. Exit codes as
 * for a local run; Ctrl-C stops waiting (130) and leaves the runs queued.
 */
export async function runOnQueueCommand(
  project: Project,
  plan: Plan,
  planRef: string,
  options: RunOptions & { queue: string },
  output: Output,
): Promise<number> {
  const progress = new Progress(
    output,
    plan.runs.map((r) => r.name),
  );
  const interrupt = interruptible(
    output,
    'stopped waiting — the runs stay queued and the workers go on; run the same command to watch them again',
  );
  try {
    const result = await runOnQueue({
      registry: project.registry,
      host: project.host,
      plan,
      planRef,
      config: project.config,
      url: options.queue,
      onEvent: progress.handle,
      onNotice: noticePrinter(output, project.config.root),
      signal: interrupt.signal,
      fresh: options.fresh,
      updatePlugins: options.update,
      tracker: resolveTrackerUrl(options.tracker, { cwd: options.cwd }),
    });
    progress.stop();
    for (const line of summaryLines(result.outcomes, options.cwd)) output.out(line);
    if (result.interrupted) return 130;
    return result.outcomes.some((o) => o.status === 'failed') ? EXIT.runFailed : EXIT.ok;
  } catch (error) {
    if (!isVhbError(error) || error.code !== 'VHB_E_QUEUE_URL') throw error;
    progress.stop();
    printError(output, error);
    return EXIT.invalidInput;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
