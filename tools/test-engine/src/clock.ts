import { performance } from 'node:perf_hooks';

/**
 * Calls `fn` once `performance.now()` reaches `due`, never before; returns a function that cancels it.
 * Node's timers count whole milliseconds from a cached clock, so they fire up to a millisecond early or
 * late: an early one is followed by another timer, or, when `precise`, by setImmediate polling over the
 * last millisecond (on time to a few microseconds, at the cost of a busy event loop for that moment).
 */
export function callAt(due: number, fn: () => void, precise: boolean): () => void {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const check = (): void => {
    timer = undefined;
    immediate = undefined;
    const wait = due - performance.now();
    if (wait <= 0) fn();
    else if (precise && wait < 1) immediate = setImmediate(check);
    else timer = setTimeout(check, wait);
  };
  check();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
  };
}
