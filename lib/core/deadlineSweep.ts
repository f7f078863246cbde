import { promiseInto, SETTLES_NOTHING, type Settler } from './promiseInto.js';
import type { TimerHandle, Timers } from './timers.js';
import type { StoreOp } from '../events/CacheEvent.js';

/** One operation in flight with a deadline; settled once, by its reply or by the sweep. */
class Pending implements Settler<unknown> {
  done = false;
  resolve: (value: unknown) => void = SETTLES_NOTHING;
  reject: (error: unknown) => void = SETTLES_NOTHING;
  constructor(
    readonly deadline: number,
    readonly ms: number,
    readonly op: StoreOp,
    readonly key: string | undefined,
  ) {}

  /**
   * Settles the operation once. The resolving functions are dropped at once: the sweep keeps a
   * settled entry until its next tick, and through them it would keep the settled promise and
   * its value (a read's whole reply) alive that long.
   */
  settle(value: unknown): void {
    const resolve = this.resolve;
    this.done = true;
    this.resolve = SETTLES_NOTHING;
    this.reject = SETTLES_NOTHING;
    resolve(value);
  }
}

/** What the sweep does with a reply, an error, or a deadline that passed first. */
export interface DeadlineOutcomes<Late> {
  replied(): void;
  failed(op: StoreOp, key: string | undefined, error: unknown): Late;
  late(op: StoreOp, key: string | undefined, ms: number): Late;
}

/**
 * Deadlines for many operations with one shared interval timer instead of one timer per
 * operation: the timer runs only while operations are pending and reads the clock once per
 * tick (operations take their start time from that coarse clock).
 */
export interface DeadlineSweep<Late> {
  /** Settles with the reply, or with what `failed` / `late` return for the operation. */
  track<T>(reply: Promise<T>, ms: number, op: StoreOp, key: string | undefined): Promise<T | Late>;
  /** Stops the timer and forgets pending operations (they settle by their replies, or never). */
  close(): void;
}

/** Creates a sweep on `timers`. */
export function createDeadlineSweep<Late>(
  timers: Timers,
  outcomes: DeadlineOutcomes<Late>,
): DeadlineSweep<Late> {
  let pending: Pending[] = [];
  let timer: TimerHandle;
  let running = false;
  /** Coarse clock, updated by each tick while the timer runs (saves a clock read per operation). */
  let clock = 0;

  const stop = (): void => {
    if (running) timers.clearInterval(timer);
    running = false;
    timer = undefined;
  };
  const tick = (): void => {
    clock = timers.now();
    const live: Pending[] = [];
    for (const p of pending) {
      if (p.done) continue;
      if (p.deadline > clock) live.push(p);
      else {
        p.settle(outcomes.late(p.op, p.key, p.ms));
      }
    }
    pending = live;
    if (pending.length === 0) stop();
  };
  const start = (ms: number): void => {
    clock = timers.now();
    running = true;
    timer = timers.setInterval(tick, Math.max(5, Math.min(100, ms / 4)));
  };

  return Object.freeze({
    track<T>(reply: Promise<T>, ms: number, op: StoreOp, key: string | undefined): Promise<T | Late> {
      if (!running) start(ms);
      const entry = new Pending(clock + ms, ms, op, key);
      const settled = promiseInto<T | Late>(entry);
      pending.push(entry);
      reply.then(
        (v) => {
          if (entry.done) return;
          outcomes.replied();
          entry.settle(v);
        },
        (e: unknown) => {
          if (entry.done) return;
          entry.settle(outcomes.failed(op, key, e));
        },
      );
      return settled;
    },
    close(): void {
      stop();
      pending = [];
    },
  });
}
