import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { callAt } from './clock.js';
import { chunkEvent, DONE_EVENT, type Usage, usageEvent } from './protocol.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };

export interface StreamPlan {
  id: string;
  model: string;
  /** The content chunks. */
  pieces: string[];
  usage: Usage;
  /** Send the usage chunk (`stream_options.include_usage`). */
  withUsage: boolean;
  /** performance.now() at which the first content chunk is due. */
  due: number;
  /** Milliseconds between content chunks. */
  gap: number;
  /** Called just before the first content chunk is written, with how many ms after `due` that is. */
  onFirst?: (lateMs: number) => void;
}

/**
 * Streams a completion as SSE: the headers and the role chunk at once, content chunk i at `due + i × gap`,
 * never earlier, then the stop chunk, the usage chunk and [DONE]. Calls `done` once the last byte is written;
 * if the client goes away first, the pending timer is cleared and `done` is never called.
 */
export function writeStream(res: ServerResponse, plan: StreamPlan, done: () => void): void {
  const { id, model, pieces, usage, withUsage, due, gap } = plan;
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, SSE_HEADERS);
  res.write(chunkEvent(id, created, model, { role: 'assistant', content: '' }, null, withUsage));
  const last = Math.max(0, pieces.length - 1);
  let next = 0;
  let cancel: (() => void) | undefined;
  const step = (): void => {
    cancel = undefined;
    if (res.destroyed) return;
    let corked = false;
    // The stop chunk goes with the last content chunk (at `due` when there is none).
    while (next <= pieces.length) {
      const at = due + Math.min(next, last) * gap;
      if (at > performance.now()) {
        if (corked) res.uncork();
        // Only the first content chunk (what TTFT measures) is timed precisely; later ones may be up to a
        // millisecond late, which keeps the engine's CPU low under many concurrent streams.
        cancel = callAt(at, step, next === 0);
        return;
      }
      if (next === pieces.length) break;
      if (!corked) res.cork();
      corked = true;
      if (next === 0) plan.onFirst?.(performance.now() - due);
      res.write(chunkEvent(id, created, model, { content: pieces[next] as string }, null, withUsage));
      next++;
    }
    if (!corked) res.cork();
    res.write(chunkEvent(id, created, model, {}, 'stop', withUsage));
    if (withUsage) res.write(usageEvent(id, created, model, usage));
    res.end(DONE_EVENT);
    done();
  };
  res.on('close', () => cancel?.());
  step();
}
