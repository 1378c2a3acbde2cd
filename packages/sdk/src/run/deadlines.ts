/**
 * Timeouts at thousands of requests a second. In Node 20 an `AbortController` with a listener costs
 * several microseconds (its signal is an EventTarget, tracked for garbage collection), which at
 * 20k requests a second is a tenth of a core. So requests that start close together share one
 * signal and one timer, and a session listens to each distinct signal once.
 */

/** One shared deadline: its signal aborts once the deadline of every member has passed, or on an interrupt. */
export interface DeadlineGroup {
  readonly signal: AbortSignal;
}

interface Group extends DeadlineGroup {
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  /** When the last member may have joined (performance.now()). */
  closesAt: number;
  members: number;
  onInterrupt: (() => void) | undefined;
}

/** setTimeout's largest delay; a longer timeout never fires within a process's life. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Deadlines `timeoutMs` after joining, shared by everything that joins within the same window: a
 * group's signal aborts `timeoutMs` after the end of its window, so never early and at most a
 * window (a fiftieth of the timeout, 1 ms to 1 s) late. An `interrupt` aborts every group's signal
 * with its reason. A group with no members left is dropped with its timer, so nothing lingers
 * after the last leave; `close()` drops them all.
 */
export class DeadlineSignals {
  readonly #timeoutMs: number;
  readonly #windowMs: number;
  readonly #interrupt: AbortSignal | undefined;
  readonly #groups = new Set<Group>();
  #current: Group | undefined;

  constructor(timeoutMs: number, interrupt?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#windowMs = Math.min(1000, Math.max(1, Math.floor(timeoutMs / 50)));
    this.#interrupt = interrupt;
  }

  /** A signal that aborts no sooner than `timeoutMs` from now; call `leave` with it once done. */
  join(): DeadlineGroup {
    const now = performance.now();
    let group = this.#current;
    if (group === undefined || now >= group.closesAt) {
      group = this.#open(now);
      this.#current = group;
    }
    group.members += 1;
    return group;
  }

  leave(token: DeadlineGroup): void {
    const group = token as Group;
    group.members -= 1;
    if (group.members === 0) this.#drop(group);
  }

  /** Drops every group and its timer (their signals stay as they are). */
  close(): void {
    for (const group of this.#groups) this.#drop(group);
  }

  #open(now: number): Group {
    const controller = new AbortController();
    const closesAt = now + this.#windowMs;
    const group: Group = { controller, signal: controller.signal, timer: undefined, closesAt, members: 0, onInterrupt: undefined };
    const interrupt = this.#interrupt;
    if (interrupt?.aborted) controller.abort(interrupt.reason);
    else {
      // +1: Node's timers run on a millisecond clock and may fire up to a millisecond early.
      const delay = this.#timeoutMs + this.#windowMs + 1;
      if (delay <= MAX_TIMER_MS) group.timer = setTimeout(() => controller.abort(), delay);
      if (interrupt) {
        group.onInterrupt = () => controller.abort(interrupt.reason);
        interrupt.addEventListener('abort', group.onInterrupt, { once: true });
      }
    }
    this.#groups.add(group);
    return group;
  }

  #drop(group: Group): void {
    if (!this.#groups.delete(group)) return;
    if (group === this.#current) this.#current = undefined;
    clearTimeout(group.timer);
    if (group.onInterrupt) this.#interrupt?.removeEventListener('abort', group.onInterrupt);
  }
}

/** Something that can be told that a signal it watches aborted. */
export interface AbortTarget {
  onAbort(signal: AbortSignal): void;
}

/**
 * Watches signals for many short-lived targets with one listener per signal: `add` and `delete`
 * are a Set operation each, where `addEventListener` per request would cost microseconds.
 * Signals are held weakly.
 */
export class AbortWatch<T extends AbortTarget> {
  readonly #targets = new WeakMap<AbortSignal, Set<T>>();
  // Requests in a row mostly share one signal: the last one's set is kept at hand.
  #lastSignal: AbortSignal | undefined;
  #lastTargets: Set<T> | undefined;

  /** Tells `target` when `signal` aborts (at once when it already has). */
  add(signal: AbortSignal, target: T): void {
    if (signal.aborted) {
      target.onAbort(signal);
      return;
    }
    let targets = signal === this.#lastSignal ? this.#lastTargets : this.#targets.get(signal);
    if (targets === undefined) {
      const set = new Set<T>();
      targets = set;
      this.#targets.set(signal, set);
      signal.addEventListener(
        'abort',
        () => {
          const all = [...set];
          set.clear();
          for (const each of all) each.onAbort(signal);
        },
        { once: true },
      );
    }
    targets.add(target);
    this.#lastSignal = signal;
    this.#lastTargets = targets;
  }

  delete(signal: AbortSignal, target: T): void {
    (signal === this.#lastSignal ? this.#lastTargets : this.#targets.get(signal))?.delete(target);
  }
}

/** Something with a deadline. */
export interface DeadlineTarget {
  onDeadline(): void;
}

interface Window<T> {
  members: Set<T>;
  timer: NodeJS.Timeout | undefined;
  closesAt: number;
}

/**
 * Deadlines `timeoutMs` after `add`, for targets that need no AbortSignal (a session's own
 * requests): targets added within the same window share one timer, which calls `onDeadline` on
 * those still there `timeoutMs` after the window closed — never early, at most a window (a
 * fiftieth of the timeout, 1 ms to 1 s) late. A window left empty is dropped with its timer.
 */
export class DeadlineWindows<T extends DeadlineTarget> {
  readonly #timeoutMs: number;
  readonly #windowMs: number;
  readonly #windows = new Set<Window<T>>();
  #current: Window<T> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#windowMs = Math.min(1000, Math.max(1, Math.floor(timeoutMs / 50)));
  }

  /** Starts `target`'s clock; pass what it returns to `delete` once the target is done. */
  add(target: T): object {
    const now = performance.now();
    let window = this.#current;
    if (window === undefined || now >= window.closesAt) {
      window = this.#open(now);
      this.#current = window;
    }
    window.members.add(target);
    return window;
  }

  delete(target: T, token: object): void {
    const window = token as Window<T>;
    window.members.delete(target);
    if (window.members.size === 0) this.#drop(window);
  }

  /** Drops every window and its timer. */
  close(): void {
    for (const window of this.#windows) this.#drop(window);
  }

  #open(now: number): Window<T> {
    const window: Window<T> = { members: new Set(), timer: undefined, closesAt: now + this.#windowMs };
    const delay = this.#timeoutMs + this.#windowMs + 1;
    if (delay <= MAX_TIMER_MS) {
      window.timer = setTimeout(() => {
        const due = [...window.members];
        this.#drop(window);
        for (const target of due) target.onDeadline();
      }, delay);
    }
    this.#windows.add(window);
    return window;
  }

  #drop(window: Window<T>): void {
    if (!this.#windows.delete(window)) return;
    if (window === this.#current) this.#current = undefined;
    clearTimeout(window.timer);
  }
}
