import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readJsonl } from '@vhb/sdk';
import type { StageKind } from './dag.js';
import type { RunnerEvent } from './events.js';
import type { ResourceSampleEvent } from './resource-sampler.js';

/** Name of the event log in the plan's results folder (`results/<plan>/events.jsonl`). */
export const EVENTS_FILE = 'events.jsonl';

/** A stage of a run started, finished or failed (`prepare` is the plan's, without a run). */
export type StageEvent =
  | { type: 'stage-start'; run?: string; stage: StageKind }
  | { type: 'stage-end'; run?: string; stage: StageKind; durationMs: number }
  | { type: 'stage-failed'; run?: string; stage: StageKind; durationMs: number; code: string; message: string };

/**
 * An item of a run got its answer (or its recorded failure). `elapsedMs`: since the run's inference
 * stage started. Published live only: events.jsonl keeps the run's `item` events, whose `t` is their time.
 */
export interface ItemDoneEvent {
  type: 'item-done';
  run: string;
  id: string;
  ok: boolean;
  done: number;
  total: number;
  elapsedMs: number;
  cached?: boolean;
  attempts?: number;
}

/** Everything the runner publishes: the RunnerEvents `onEvent` receives, stage and item events, and resource samples. */
export type BusEvent = RunnerEvent | StageEvent | ItemDoneEvent | ResourceSampleEvent;

/** An event as subscribers and events.jsonl see it: with its time (ISO 8601) and its run, when it has one. */
export type TimedEvent = BusEvent & { t: string; run?: string };

export type Listener = (event: TimedEvent) => void;

const STAGE_TYPES = new Set(['stage-start', 'stage-end', 'stage-failed', 'item-done', 'resource-sample']);

/** Whether an event is one of the RunnerEvents (the ones `onEvent` callbacks receive). */
export function isRunnerEvent(event: BusEvent): event is RunnerEvent {
  return !STAGE_TYPES.has(event.type);
}

function runOf(event: BusEvent): string | undefined {
  if (event.type === 'run-end') return event.outcome.run;
  return 'run' in event ? event.run : undefined;
}

/** A typed event bus: the runner publishes, any number of subscribers receive every event in order. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  /** Adds a listener; returns the function that removes it. A listener that throws does not stop the others. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: BusEvent): void {
    const run = runOf(event);
    const timed = { ...event, t: new Date().toISOString(), ...(run === undefined ? {} : { run }) } as TimedEvent;
    for (const listener of this.listeners) {
      try {
        listener(timed);
      } catch {
        // A broken subscriber must not break the run or the other subscribers.
      }
    }
  }
}

/** Whether events.jsonl keeps an event: not debug logs (noise), not item-done (the `item` run-event is the same fact). */
export function isRecorded(event: BusEvent): boolean {
  if (event.type === 'item-done') return false;
  return !(event.type === 'run-event' && event.event.type === 'log' && event.event.level === 'debug');
}

/** Appends a bus's events to a JSON Lines file, one event per line; `close()` waits until all are written. */
export interface EventsWriter {
  listener: Listener;
  close(): Promise<void>;
}

/** Opens `path` for appending (earlier invocations' events stay; a torn last line is ended first). */
export async function openEventsFile(path: string): Promise<EventsWriter> {
  await mkdir(dirname(path), { recursive: true });
  let prefix = '';
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size > 0) {
    const last = Buffer.alloc(1);
    const handle = await open(path, 'r');
    await handle.read(last, 0, 1, size - 1).finally(() => handle.close());
    if (last[0] !== 0x0a) prefix = '\n';
  }
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  if (prefix) stream.write(prefix);
  let failed: Error | undefined;
  stream.on('error', (error) => {
    failed = error;
  });
  return {
    listener: (event) => {
      if (!failed && isRecorded(event)) stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (failed) resolve();
        else stream.end(() => resolve());
      }),
  };
}

/** The events of an events.jsonl, in order (a torn last line from a killed process is skipped; a missing file is empty). */
export async function replayEvents(file: string): Promise<TimedEvent[]> {
  const events: TimedEvent[] = [];
  for await (const event of readJsonl<TimedEvent>(file)) events.push(event);
  return events;
}
