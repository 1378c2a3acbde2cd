import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILES, readPredictions } from '@vhb/sdk';
import { inferenceKey } from './dag.js';
import type { EventBus } from './event-bus.js';
import type { PlannedRun } from './plan.js';

/**
 * Runs that ask the same questions (same inference key: they differ only in metrics, reports or
 * group_by) share one inference: the first of them in the plan answers, the others wait for its
 * inference stage to end and start from its predictions, so they send no request of their own.
 */
export class SharedInference {
  /** Run name → the run that answers for it (absent for runs that answer themselves). */
  private readonly owners = new Map<string, PlannedRun>();
  private readonly waiting = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private readonly unsubscribe: () => void;

  constructor(runs: readonly PlannedRun[], bus: EventBus) {
    const first = new Map<string, PlannedRun>();
    for (const run of runs) {
      const key = inferenceKey(run);
      const owner = first.get(key);
      if (!owner) {
        first.set(key, run);
        continue;
      }
      this.owners.set(run.name, owner);
      if (!this.waiting.has(owner.name)) {
        let resolve = () => {};
        const done = new Promise<void>((r) => {
          resolve = r;
        });
        this.waiting.set(owner.name, { done, resolve });
      }
    }
    // The owner's inference is over when its stage ends, fails, or the run ends without one.
    this.unsubscribe = bus.subscribe((event) => {
      const owner = event.type === 'run-end' ? event.outcome.run : event.run;
      if (!owner) return;
      const over =
        event.type === 'run-end' || ((event.type === 'stage-end' || event.type === 'stage-failed') && event.stage === 'inference');
      if (over) this.waiting.get(owner)?.resolve();
    });
  }

  /** The run whose inference `run` shares, when another run answers for it. */
  ownerOf(run: PlannedRun): PlannedRun | undefined {
    return this.owners.get(run.name);
  }

  /**
   * Waits for the owner's inference, then seeds `run`'s predictions.jsonl with the owner's answers
   * unless `run` already holds answers the owner lacks (then `run` keeps its own and resumes).
   */
  async seed(run: PlannedRun): Promise<void> {
    const owner = this.owners.get(run.name);
    if (!owner) return;
    await this.waiting.get(owner.name)?.done;
    const from = join(owner.spec.outDir, RESULT_FILES.predictions);
    const to = join(run.spec.outDir, RESULT_FILES.predictions);
    const [theirs, ours] = await Promise.all([readPredictions(from), readPredictions(to)]);
    if (theirs.size === 0) return;
    const answered = (records: typeof ours) => [...records.values()].filter((r) => r.prediction != null).map((r) => r.id);
    const theirAnswers = new Set(answered(theirs));
    if (!answered(ours).every((id) => theirAnswers.has(id))) return;
    await mkdir(run.spec.outDir, { recursive: true });
    await copyFile(from, to);
  }

  close(): void {
    this.unsubscribe();
  }
}
