/**
 * The clock and timers tagcache's resilience code uses (the store guard's circuit breaker and
 * timeout sweep, lock waits). The default is the system's; tests inject a manual one (see
 * `manualTimers` in `tagcache/testing`) to drive breakers and timeouts without sleeping.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { manualTimers } from 'tagcache/testing';
 * const timers = manualTimers();
 * const cache = createCache({ timers, breaker: { failures: 3, resetAfter: 1000 } });
 * timers.advance(1000); // the open circuit half-opens
 * ```
 */
export interface Timers {
  /** Milliseconds since 1970 (or any monotonic origin the timers agree with). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** What a {@link Timers} returns for a timer: opaque; `unref` when it has one. */
export type TimerHandle = { unref?(): unknown } | number | undefined;

/** The system clock and timers; intervals are unref'd (a sweep never keeps a process alive), timeouts are not (a lock wait finishes). */
export const systemTimers: Timers = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback: () => void, ms: number) => unref(setInterval(callback, ms)),
  clearInterval: (handle: TimerHandle) => clearInterval(handle as ReturnType<typeof setInterval>),
});

function unref(handle: ReturnType<typeof setTimeout>): TimerHandle {
  handle.unref();
  return handle;
}

/** Waits `ms` on `timers`. */
export function sleepOn(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, Math.max(0, ms)));
}
