import type { StageGraph } from '../dag.js';
import type { EventBus } from '../event-bus.js';
import type { Tracker } from './tracker.js';

/**
 * Records a bus's stage transitions in a tracker: stage-start → running (attempts + 1), stage-end →
 * done, stage-failed → failed with its code and message; run-start / run-end mark the run. Stage ids
 * come from the plan's graph (`inference:<first run>` for a shared inference); without one, `<kind>:<run>`.
 * Returns the function that stops recording.
 */
export function trackStages(bus: EventBus, tracker: Tracker, graph: Pick<StageGraph, 'plan' | 'runs'>): () => void {
  const plan = graph.plan;
  const idOf = (run: string | undefined, kind: string): string => {
    if (run === undefined) return kind;
    const ids = graph.runs[run] ?? [];
    return ids.find((id) => id === kind || id.startsWith(`${kind}:`)) ?? `${kind}:${run}`;
  };
  return bus.subscribe((event) => {
    switch (event.type) {
      case 'run-start':
        tracker.startRun(plan, event.run);
        break;
      case 'run-end':
        tracker.endRun(plan, event.outcome.run, event.outcome.status, event.outcome.status === 'failed' ? event.outcome.code : undefined);
        break;
      case 'stage-start':
        tracker.startStage(plan, event.run, idOf(event.run, event.stage), event.stage);
        break;
      case 'stage-end':
        tracker.endStage(plan, event.run, idOf(event.run, event.stage));
        break;
      case 'stage-failed':
        tracker.failStage(plan, event.run, idOf(event.run, event.stage), event.code, event.message);
        break;
    }
  });
}
