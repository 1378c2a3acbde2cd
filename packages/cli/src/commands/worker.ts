import { type Machine, maskUrl, type RunOutcome, startQueueWorker, type WorkerNotice } from '@vhb/runner';
import { type Logger, VhbError } from '@vhb/sdk';
import { EXIT } from '../exit-codes.js';
import { seconds } from '../ui/format.js';
import { type Output, paint, printError } from '../ui/output.js';
import { VERSION } from '../version.js';

export interface WorkerOptions {
  queue: string;
  concurrency?: number;
  name?: string;
  lockDuration?: number;
  stalledInterval?: number;
  debug?: boolean;
}

/** What the machine offers, in one line: its GPUs, or why it has none. */
function describeMachine(machine: Machine): string {
  const host = `${machine.cpus} CPUs, ${(machine.memoryMb / 1024).toFixed(1)} GB`;
  if (machine.gpus.length === 0) return `no GPU (${machine.reason ?? 'none found'}) · ${host}`;
  const gpus = machine.gpus.map((g) => `GPU ${g.index} ${g.name} ${g.memoryFreeMb} MB free`).join(', ');
  return `${gpus} · ${host}`;
}

function outcomeLine(outcome: RunOutcome): string {
  const items = outcome.summary ? `  ${outcome.summary.items.succeeded}/${outcome.summary.items.total} items` : '';
  return `${outcome.status}${items}  ${seconds(outcome.durationMs)}${outcome.reason ? `  ${outcome.reason.split('\n')[0]}` : ''}`;
}

/** The worker's log: one line per job taken, finished, released, refused for good, or failed. */
function printer(output: Output): (notice: WorkerNotice) => void {
  const pc = paint(output);
  // A job this machine can never run comes back every few seconds: said once per job and reason.
  const refusals = new Set<string>();
  return (notice) => {
    if (notice.type === 'job-start') {
      output.err(`${pc.cyan('▶')} ${notice.plan}/${notice.run}  ${notice.root}`);
    } else if (notice.type === 'job-end') {
      const mark = notice.outcome.status === 'ok' ? pc.green('✔') : notice.outcome.status === 'skipped' ? pc.yellow('↷') : pc.red('✖');
      output.err(`${mark} ${notice.plan}/${notice.run}  ${outcomeLine(notice.outcome)}`);
    } else if (notice.type === 'job-released') {
      output.err(`${pc.yellow('↩')} ${notice.plan}/${notice.run}  stopped and put back in the queue (another worker resumes it)`);
    } else if (notice.type === 'job-refused') {
      // A full worker passing a job on is routine; a job this machine can never run is worth a line.
      const key = `${notice.job}\u0000${notice.reason}`;
      if (notice.never && !refusals.has(key))
        output.err(`${pc.yellow('⇢')} ${notice.plan}/${notice.run}  not for this machine: ${notice.reason}`);
      refusals.add(key);
    } else if (notice.type === 'job-failed') {
      output.err(`${pc.red('✖')} job ${notice.job} failed: ${notice.message} (${notice.code})`);
    } else if (notice.type === 'error') {
      output.err(`${pc.yellow('⚠')} ${notice.message}`);
    }
  };
}

/** SIGINT or SIGTERM resolves `stopped` (with the signal); a second one quits at once. */
function stopSignal(output: Output): { stopped: Promise<NodeJS.Signals>; dispose(): void } {
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count += 1;
    if (count > 1) process.exit(130);
    output.err(
      paint(output).yellow(
        `⏸ ${signal}: stopping — runs in progress stop after their items in flight and go back to the queue (again to quit now)`,
      ),
    );
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

const positive = (value: number | undefined, flag: string): void => {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new VhbError('VHB_E_CLI_ARGUMENT', `${flag} must be a whole number of at least 1, got ${value}`, {
      hint: `e.g. ${flag} 2`,
    });
  }
};

/**
 * `vhb worker --queue <url>`: takes queued runs that fit this machine (its GPUs, CPUs and memory)
 * and runs them until SIGINT or SIGTERM; then runs in progress go back to the queue and it exits 0.
 */
export async function workerCommand(options: WorkerOptions, output: Output): Promise<number> {
  positive(options.concurrency, '--concurrency');
  positive(options.lockDuration, '--lock-duration');
  positive(options.stalledInterval, '--stalled-interval');
  const logger: Logger = {
    debug: (m) => output.debug && output.err(m),
    info: (m) => output.debug && output.err(m),
    warn: (m) => output.err(`⚠ ${m}`),
  };
  const signal = stopSignal(output);
  try {
    let worker: Awaited<ReturnType<typeof startQueueWorker>>;
    try {
      worker = await startQueueWorker({
        url: options.queue,
        ...(options.name ? { name: options.name } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.lockDuration ? { lockDurationMs: options.lockDuration } : {}),
        ...(options.stalledInterval ? { stalledIntervalMs: options.stalledInterval } : {}),
        onNotice: printer(output),
        logger,
      });
    } catch (error) {
      if (error instanceof VhbError && error.code === 'VHB_E_QUEUE_URL') {
        printError(output, error);
        return EXIT.invalidInput;
      }
      throw error;
    }
    output.err(
      `VLMHyperBench ${VERSION} · worker ${worker.name} · ${maskUrl(options.queue)} (${worker.queues.join(', ')}) · concurrency ${options.concurrency ?? 1}`,
    );
    output.err(`  ${describeMachine(worker.machine)}`);
    output.err('waiting for runs (Ctrl-C to stop)');
    await Promise.race([signal.stopped, worker.closed]);
    await worker.close();
    output.err('worker stopped');
    return EXIT.ok;
  } finally {
    signal.dispose();
  }
}
