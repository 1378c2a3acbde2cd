import { type Plan, type QueueNotice, resolveTrackerUrl, runOnQueue } from '@vhb/runner';
import { isVhbError } from '@vhb/sdk';
import { EXIT } from '../exit-codes.js';
import type { Project } from '../project.js';
import { type Output, paint, printError } from '../ui/output.js';
import type { RunOptions } from './run.js';
import { watchPlan } from './watch-plan.js';

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
  try {
    return await watchPlan(
      output,
      plan,
      options.cwd,
      'stopped waiting — the runs stay queued and the workers go on; run the same command to watch them again',
      ({ onEvent, signal }) =>
        runOnQueue({
          registry: project.registry,
          host: project.host,
          plan,
          planRef,
          config: project.config,
          url: options.queue,
          onEvent,
          onNotice: noticePrinter(output, project.config.root),
          signal,
          fresh: options.fresh,
          updatePlugins: options.update,
          tracker: resolveTrackerUrl(options.tracker, { cwd: options.cwd }),
        }),
    );
  } catch (error) {
    if (!isVhbError(error) || error.code !== 'VHB_E_QUEUE_URL') throw error;
    printError(output, error);
    return EXIT.invalidInput;
  }
}
