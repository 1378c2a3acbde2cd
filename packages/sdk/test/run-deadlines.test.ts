import { setTimeout as wait } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AbortWatch, DeadlineSignals, DeadlineWindows } from '../src/run/deadlines.js';

/** Resolves with performance.now() when `signal` aborts. */
const abortedAt = (signal: AbortSignal) =>
  new Promise<number>((resolve) => signal.addEventListener('abort', () => resolve(performance.now()), { once: true }));

describe('DeadlineSignals', () => {
  it('shares one signal within a window, aborts it no sooner than the timeout, and opens another after the window', async () => {
    const deadlines = new DeadlineSignals(60);
    const joined = performance.now();
    const first = deadlines.join();
    const same = deadlines.join();
    expect(same.signal).toBe(first.signal);
    const fired = await abortedAt(first.signal);
    expect(fired - joined).toBeGreaterThanOrEqual(60);
    // The window (60 / 50 → 1 ms) is long over: a new join gets a fresh signal.
    const later = deadlines.join();
    expect(later.signal).not.toBe(first.signal);
    expect(later.signal.aborted).toBe(false);
    deadlines.close();
  });

  it('drops a group and its timer once every member left: its signal never aborts', async () => {
    const deadlines = new DeadlineSignals(30);
    const group = deadlines.join();
    deadlines.leave(group);
    await wait(80);
    expect(group.signal.aborted).toBe(false);
  });

  it("aborts every group's signal with the interrupt's reason", () => {
    const interrupt = new AbortController();
    const deadlines = new DeadlineSignals(60_000, interrupt.signal);
    const group = deadlines.join();
    interrupt.abort(new Error('stop'));
    expect(group.signal.aborted).toBe(true);
    expect((group.signal.reason as Error).message).toBe('stop');
    // Joined after the interrupt: aborted from the start.
    expect(deadlines.join().signal.aborted).toBe(true);
    deadlines.close();
  });

  it('close() drops the timers, so nothing fires afterwards', async () => {
    const deadlines = new DeadlineSignals(20);
    const group = deadlines.join();
    deadlines.close();
    await wait(60);
    expect(group.signal.aborted).toBe(false);
  });
});

describe('DeadlineWindows', () => {
  it('calls onDeadline on the targets still there, never early, and not on those deleted', async () => {
    const windows = new DeadlineWindows<{ onDeadline(): void; at?: number }>(50);
    const added = performance.now();
    const late = { at: undefined as number | undefined, onDeadline: () => {} };
    late.onDeadline = () => {
      late.at = performance.now();
    };
    const done = { called: false, onDeadline: () => {} };
    done.onDeadline = () => {
      done.called = true;
    };
    windows.add(late);
    const token = windows.add(done);
    windows.delete(done, token);
    await expect.poll(() => late.at, { timeout: 2000 }).toBeDefined();
    expect((late.at as number) - added).toBeGreaterThanOrEqual(50);
    expect(done.called).toBe(false);
    windows.close();
  });

  it('drops an empty window with its timer', async () => {
    const windows = new DeadlineWindows<{ onDeadline(): void }>(20);
    let called = false;
    const target = { onDeadline: () => (called = true) };
    windows.delete(target, windows.add(target));
    await wait(60);
    expect(called).toBe(false);
  });
});

describe('AbortWatch', () => {
  it('listens once per signal, tells the targets still watching, and tells at once when already aborted', () => {
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    const watch = new AbortWatch<{ onAbort(): void; n: number }>();
    const targets = Array.from({ length: 5 }, () => {
      const target = { n: 0, onAbort: () => {} };
      target.onAbort = () => {
        target.n += 1;
      };
      return target;
    });
    for (const target of targets) watch.add(controller.signal, target);
    watch.delete(controller.signal, targets[0] as (typeof targets)[0]);
    expect(listeners).toBe(1);
    controller.abort();
    expect(targets.map((t) => t.n)).toEqual([0, 1, 1, 1, 1]);
    const late = { n: 0, onAbort: () => (late.n += 1) };
    watch.add(controller.signal, late);
    expect(late.n).toBe(1);
  });

  it('keeps the targets of different signals apart', () => {
    const a = new AbortController();
    const b = new AbortController();
    const watch = new AbortWatch<{ onAbort(): void }>();
    const seen: string[] = [];
    watch.add(a.signal, { onAbort: () => seen.push('a') });
    watch.add(b.signal, { onAbort: () => seen.push('b') });
    b.abort();
    expect(seen).toEqual(['b']);
    a.abort();
    expect(seen).toEqual(['b', 'a']);
  });
});
