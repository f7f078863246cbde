/**
 * A clock and timers that move only when the test says so, for `createCache({ timers })`.
 *
 * @packageDocumentation
 */
import type { TimerHandle, Timers } from '../core/timers.js';

interface Scheduled {
  readonly id: number;
  at: number;
  readonly every: number | undefined;
  readonly callback: () => void;
}

/**
 * {@link Timers} under the test's control: `now()` starts at `start` and moves only with
 * `advance`, which runs the timers that fall due, in order.
 *
 * @example
 * ```ts
 * const timers = manualTimers();
 * let fired = 0;
 * timers.setTimeout(() => fired++, 100);
 * await timers.advance(99);
 * fired; // 0
 * await timers.advance(1);
 * fired; // 1
 * ```
 */
export interface ManualTimers extends Timers {
  /**
   * Moves the clock `ms` forward, running each timer that falls due at its time (intervals
   * repeatedly) and letting promise callbacks run after each (so work a timer starts settles).
   */
  advance(ms: number): Promise<void>;
  /** Timers scheduled and not yet run or cleared. */
  pending(): number;
}

/** Lets every queued promise callback and immediate run. */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Creates {@link ManualTimers}: a test double for the clock and timers of the circuit breaker,
 * the timeout sweep and lock waits, so their tests need no real sleeps.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { manualTimers } from 'tagcache/testing';
 * const timers = manualTimers();
 * const cache = createCache({ timers, timeout: 50, breaker: { failures: 3, resetAfter: 100 } });
 * await timers.advance(100); // an open circuit now lets one probe through
 * ```
 */
export function manualTimers(start = 0): ManualTimers {
  let now = start;
  let nextId = 1;
  const scheduled = new Map<number, Scheduled>();
  const schedule = (callback: () => void, ms: number, every: number | undefined): TimerHandle => {
    const id = nextId++;
    scheduled.set(id, { id, at: now + Math.max(0, ms), every, callback });
    return id;
  };
  const cancel = (handle: TimerHandle): void => {
    if (typeof handle === 'number') scheduled.delete(handle);
  };
  const due = (until: number): Scheduled | undefined => {
    let first: Scheduled | undefined;
    for (const s of scheduled.values())
      if (s.at <= until && (first === undefined || s.at < first.at)) first = s;
    return first;
  };
  return Object.freeze({
    now: () => now,
    setTimeout: (callback: () => void, ms: number) => schedule(callback, ms, undefined),
    clearTimeout: cancel,
    setInterval: (callback: () => void, ms: number) => schedule(callback, ms, Math.max(1, ms)),
    clearInterval: cancel,
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      await drain();
      for (let next = due(until); next !== undefined; next = due(until)) {
        now = Math.max(now, next.at);
        if (next.every === undefined) scheduled.delete(next.id);
        else next.at += next.every;
        next.callback();
        await drain();
      }
      now = until;
    },
    pending: () => scheduled.size,
  });
}
