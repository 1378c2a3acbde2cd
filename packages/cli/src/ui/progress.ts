import type { RunnerEvent } from '@vhb/runner';
import { MultiBar, type SingleBar } from 'cli-progress';
import { megabytes, seconds } from './format.js';
import { type Output, paint } from './output.js';

interface RunState {
  bar?: SingleBar;
  started: number;
  total: number;
  done: number;
  /** Items answered in this invocation, for the rate (resumed items are not counted). */
  fresh: number;
  dataset: string;
  lastPrinted: number;
  /** Items answered from the response cache, and requests tried again, in this invocation. */
  cached: number;
  retries: number;
}

/** Draws one progress bar per run on a terminal, and a line per quarter of progress elsewhere (CI, pipes). */
export class Progress {
  private readonly runs = new Map<string, RunState>();
  private readonly multibar?: MultiBar;
  private readonly width: number;
  private readonly pc: ReturnType<typeof paint>;

  constructor(
    private readonly output: Output,
    runNames: string[],
  ) {
    this.pc = paint(output);
    this.width = Math.max(8, ...runNames.map((n) => n.length));
    if (output.interactive) {
      this.multibar = new MultiBar(
        {
          format: '{mark} {run} {dataset}  {bar} {value}/{total}  {rate}  {elapsed}',
          barsize: 20,
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        { barCompleteChar: '█', barIncompleteChar: '░', format: '' },
      );
    }
  }

  private label(run: string): string {
    return run.padEnd(this.width);
  }

  private rate(state: RunState): string {
    const elapsed = (Date.now() - state.started) / 1000;
    return elapsed > 0 && state.fresh > 0 ? `${(state.fresh / elapsed).toFixed(1)} img/s` : '';
  }

  private payload(run: string, state: RunState, mark = this.pc.cyan('…')) {
    return { mark, run: this.label(run), dataset: state.dataset, rate: this.rate(state), elapsed: seconds(Date.now() - state.started) };
  }

  handle = (event: RunnerEvent): void => {
    if (event.type === 'plugins-done') {
      const mark = event.failed ? this.pc.red('✖') : this.pc.green('✔');
      const failed = event.failed ? `, ${event.failed} failed` : '';
      this.print(
        `${mark} ${'plugins'.padEnd(this.width)} ${event.resolved} resolved (${event.cached} cached${failed})  ${seconds(event.durationMs)}`,
      );
      for (const environment of event.environments.filter((e) => !e.cached)) {
        this.print(
          `  installed ${environment.specs.length} npm plugin${environment.specs.length === 1 ? '' : 's'} into ${environment.dir}`,
        );
      }
    } else if (event.type === 'run-start') {
      this.runs.set(event.run, {
        started: Date.now(),
        total: 0,
        done: 0,
        fresh: 0,
        dataset: event.dataset,
        lastPrinted: 0,
        cached: 0,
        retries: 0,
      });
    } else if (event.type === 'run-event') {
      this.onRunEvent(event.run, event.event);
    } else if (event.type === 'run-end') {
      this.onRunEnd(event);
    } else if (event.type === 'run-uploaded') {
      this.print(
        `  ${this.label(event.run)} results uploaded to ${event.to}: ${event.uploaded} files (${megabytes(event.bytes)}), ${event.unchanged} unchanged`,
      );
    } else if (event.type === 'run-upload-failed') {
      this.print(
        `${this.pc.yellow('⚠')} ${this.label(event.run)} upload to ${event.to} failed (the results stay on disk): ${event.message}`,
      );
    }
  };

  private onRunEvent(run: string, event: Extract<RunnerEvent, { type: 'run-event' }>['event']): void {
    const state = this.runs.get(run);
    if (!state) return;
    if (event.type === 'inference-start') {
      state.total = event.total;
      state.done = event.done;
      state.bar = this.multibar?.create(event.total, event.done, this.payload(run, state));
    } else if (event.type === 'item') {
      state.done = event.done;
      if (event.cached) state.cached += 1;
      else state.fresh += 1;
      state.bar?.update(event.done, this.payload(run, state));
      const quarter = Math.floor((4 * event.done) / Math.max(1, event.total));
      if (!this.multibar && quarter > state.lastPrinted && event.done < event.total) {
        state.lastPrinted = quarter;
        this.output.err(`  ${this.label(run)} ${event.done}/${event.total}  ${this.rate(state)}`);
      }
    } else if (event.type === 'sync-start') {
      this.print(`  ${this.label(run)} syncing dataset ${event.dataset}: ${event.total} files, ${megabytes(event.bytes)}`);
    } else if (event.type === 'sync-done') {
      const fetched = event.downloaded + event.resumed;
      const here = event.cached + event.verified;
      this.print(
        `  ${this.label(run)} dataset ${event.dataset} synced: ${fetched} fetched (${megabytes(event.bytesDownloaded)}), ${here} already here  ${seconds(event.durationMs)}`,
      );
    } else if (event.type === 'retry') {
      state.retries += 1;
      // The first retry of a run is worth a line (a rate limit, a flaky server); the count goes on the run's last line.
      if (state.retries === 1) {
        this.print(
          `${this.pc.yellow('↻')} ${run}: item ${event.id}: ${event.code}, retrying in ${seconds(event.waitMs)} (attempt ${event.attempt + 1})`,
        );
      }
    } else if (event.type === 'log' && event.level === 'warn') {
      this.print(`${this.pc.yellow('⚠')} ${run}: ${event.message}`);
    }
  }

  private onRunEnd(event: Extract<RunnerEvent, { type: 'run-end' }>): void {
    const { outcome } = event;
    const state = this.runs.get(outcome.run);
    const label = this.label(outcome.run);
    if (outcome.status === 'ok' && outcome.reused) {
      const items = outcome.summary?.items.total ?? 0;
      this.print(`${this.pc.green('✔')} ${label} ${outcome.dataset}  ${items}/${items}  done earlier, nothing changed (stages skipped)`);
    } else if (outcome.status === 'ok' && state) {
      const failed = outcome.summary?.items.failed ? this.pc.yellow(`  ${outcome.summary.items.failed} failed`) : '';
      const notes = [state.cached ? `${state.cached} from cache` : '', state.retries ? `${state.retries} retries` : ''].filter(Boolean);
      const extra = notes.length ? `  (${notes.join(', ')})` : '';
      const line = `${this.pc.green('✔')} ${label} ${state.dataset}  ${state.done}/${state.total}  ${this.rate(state)}  ${seconds(outcome.durationMs)}${failed}${extra}`;
      if (state.bar) {
        state.bar.update(state.done, this.payload(outcome.run, state, this.pc.green('✔')));
        state.bar.stop();
      } else this.output.err(line);
    } else if (outcome.status === 'skipped') {
      state?.bar?.stop();
      this.print(`${this.pc.yellow('↷')} ${label} ${outcome.dataset}  skipped: ${outcome.reason}`);
    } else {
      state?.bar?.stop();
      const [first, ...rest] = (outcome.reason ?? '').split('\n');
      this.print(`${this.pc.red('✖')} ${label} ${outcome.dataset}  failed: ${first}${rest.map((r) => `\n  ${r}`).join('')}`);
    }
  }

  private print(line: string): void {
    if (this.multibar) this.multibar.log(`${line}\n`);
    else this.output.err(line);
  }

  stop(): void {
    this.multibar?.stop();
  }
}
