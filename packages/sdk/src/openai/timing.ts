import type { Timing } from '../data.js';
import type { Reply } from './reply.js';

/**
 * Timing of one request. Time per output token spreads the time after the first token over the
 * tokens after the first, so it needs a measured TTFT and at least two completion tokens.
 */
export function timingOf(latencyMs: number, reply: Reply): Timing {
  const { ttftMs } = reply;
  const { promptTokens, completionTokens } = reply.usage;
  const tpotMs =
    ttftMs !== null && completionTokens !== null && completionTokens > 1 ? (latencyMs - ttftMs) / (completionTokens - 1) : null;
  return { latencyMs, ttftMs, tpotMs, promptTokens, completionTokens, peakMemoryMb: null };
}
