import { promiseInto, SETTLES_NOTHING, type Settler } from './promiseInto.js';
import type { TimerHandle, Timers } from './timers.js';
import type { StoreOp } from '../events/CacheEvent.js';
import type { ReadTarget } from '../stores/Store.js';

/** What a settled operation's `promise` becomes (see {@link Pending.promise}). */
const SETTLED: Promise<unknown> = Promise.resolve();

/**
 * One operation in flight with a deadline; settled once, by its reply (`replied`, `failed`: it is
 * the operation's {@link ReadTarget}) or by the sweep.
 */
class Pending<Late> implements Settler<unknown>, ReadTarget<unknown> {
  done = false;
  resolve: (value: unknown) => void = SETTLES_NOTHING;
  reject: (error: unknown) => void = SETTLES_NOTHING;
  /**
   * What the caller awaits: the reply, or what `failed` / `late` give. Dropped when the operation
   * settles (like the resolving functions), so read it before handing the target out.
   */
  promise: Promise<unknown>;
  constructor(
    readonly outcomes: DeadlineOutcomes<Late>,
    readonly deadline: number,
    readonly ms: number,
    readonly op: StoreOp,
    readonly key: string | undefined,
  ) {
    this.promise = promiseInto(this);
  }

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
    this.promise = SETTLED;
    resolve(value);
  }

  /** The reply arrived (ignored once the deadline settled the operation). */
  replied(value: unknown): void {
    if (this.done) return;
    this.outcomes.replied();
    this.settle(value);
  }

  /** The operation failed (ignored once the deadline settled it). */
  failed(error: unknown): void {
    if (this.done) return;
    this.settle(this.outcomes.failed(this.op, this.key, error));
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
  /**
   * A deadline for an operation that hands its reply to a target ({@link Store.readInto}): pass
   * the result as the target; its `promise` settles as `track`'s does.
   */
  open<T>(ms: number, op: StoreOp, key: string | undefined): Deadline<T, Late>;
  /** Stops the timer and forgets pending operations (they settle by their replies, or never). */
  close(): void;
}

/**
 * An operation's deadline: the target of its reply, and what the caller awaits (`promise`: read it
 * before handing the target out, it is dropped once the operation settles).
 */
export interface Deadline<T, Late> extends ReadTarget<T> {
  readonly promise: Promise<T | Late>;
}

/** Creates a sweep on `timers`. */
export function createDeadlineSweep<Late>(
  timers: Timers,
  outcomes: DeadlineOutcomes<Late>,
): DeadlineSweep<Late> {
  let pending: Pending<Late>[] = [];
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
    const live: Pending<Late>[] = [];
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

  const open = (ms: number, op: StoreOp, key: string | undefined): Pending<Late> => {
    if (!running) start(ms);
    const entry = new Pending(outcomes, clock + ms, ms, op, key);
    pending.push(entry);
    return entry;
  };

  return Object.freeze({
    track<T>(reply: Promise<T>, ms: number, op: StoreOp, key: string | undefined): Promise<T | Late> {
      const entry = open(ms, op, key);
      const settled = entry.promise as Promise<T | Late>;
      reply.then(
        (v) => entry.replied(v),
        (e: unknown) => entry.failed(e),
      );
      return settled;
    },
    open: open as <T>(ms: number, op: StoreOp, key: string | undefined) => Deadline<T, Late>,
    close(): void {
      stop();
      pending = [];
    },
  });
}
