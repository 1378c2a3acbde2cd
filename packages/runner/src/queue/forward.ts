import type { BusEvent, Listener } from '../event-bus.js';
import type { JobProgress } from './job.js';

/** Sends a run's bus events to whoever queued it, in batches; `flush()` sends what is left and waits for every batch. */
export interface EventForwarder {
  listener: Listener;
  flush(): Promise<void>;
}

/**
 * Sends the run's events with `job.updateProgress({ worker, events })`, one call at a time (so
 * they arrive in order): item events in batches, at most one per `intervalMs` (per-item progress
 * would be one Redis round trip per item), every other event at once with the items before it. Events without a run (the worker's own plugin loading) and debug logs
 * stay here. A failed send (Redis away, the job's lock lost) goes to `onError`; the run goes on.
 */
export function forwardEvents(
  job: { updateProgress(progress: JobProgress): Promise<unknown> },
  worker: string,
  intervalMs: number,
  onError: (error: unknown) => void,
): EventForwarder {
  let batch: BusEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<unknown> = Promise.resolve();
  const send = () => {
    timer = undefined;
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    sending = sending.then(() => job.updateProgress({ worker, events })).catch(onError);
  };
  return {
    listener: (timed) => {
      if (timed.run === undefined) return;
      if (timed.type === 'run-event' && timed.event.type === 'log' && timed.event.level === 'debug') return;
      const { t: _t, ...event } = timed;
      batch.push(event as BusEvent);
      // Runs and stages starting and ending go at once (the enqueuer's clock and bars start with them); items wait for the batch.
      const item = timed.type === 'item-done' || (timed.type === 'run-event' && timed.event.type === 'item');
      if (!item) {
        if (timer) clearTimeout(timer);
        send();
      } else timer ??= setTimeout(send, intervalMs);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      send();
      await sending;
    },
  };
}
