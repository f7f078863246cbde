import { StoreError, type TagcacheError } from '../errors.js';
import type { StoreOp } from '../events/CacheEvent.js';

/** Returned by a guarded operation that failed, timed out, or was skipped by the breaker. */
export const FAILED: unique symbol = Symbol('tagcache.failed');
/** The type of {@link FAILED}. */
export type Failed = typeof FAILED;

/**
 * Circuit breaker settings.
 *
 * @example
 * ```ts
 * createCache({ breaker: { failures: 5, resetAfter: '5s' } });
 * ```
 */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failures?: number;
  /** Time the circuit stays open before one probe is let through. Default 5 s. */
  readonly resetAfter?: number;
}

/** What the guard reports: errors and circuit transitions. */
export interface GuardSink {
  error(op: StoreOp, key: string | undefined, error: TagcacheError): void;
  circuit(state: 'open' | 'half-open' | 'closed'): void;
}

/**
 * Runs store operations so that they never throw: a failure, a timeout or an open circuit gives
 * {@link FAILED}. Timeouts use one shared sweep timer for all pending operations, not a timer
 * per operation.
 */
export interface StoreGuard {
  run<T>(op: StoreOp, key: string | undefined, call: () => T | Promise<T>, timeout?: number): T | Failed | Promise<T | Failed>;
  /** The hot path of `run` without a closure: `get(ns, key)` on `store`. */
  get<T>(store: { get(ns: string, key: string): T | Promise<T> }, ns: string, key: string, timeout?: number): T | Failed | Promise<T | Failed>;
  /** Like `run`, but rejects with the StoreError instead of giving FAILED (for invalidation). */
  strict<T>(op: StoreOp, call: () => T | Promise<T>): Promise<T>;
  state(): 'open' | 'half-open' | 'closed';
  close(): void;
}

/** One operation in flight with a deadline; settled once, by its reply or by the sweep. */
interface Pending {
  readonly deadline: number;
  readonly op: StoreOp;
  readonly key: string | undefined;
  readonly ms: number;
  readonly resolve: (v: unknown) => void;
  done: boolean;
}

/**
 * Creates the guard of one cache.
 *
 * @example
 * ```ts
 * const guard = createStoreGuard(1000, { failures: 5, resetAfter: 5000 }, sink);
 * const r = await guard.run('get', 'k', () => store.get('ns', 'k'));
 * ```
 */
export function createStoreGuard(timeout: number, breaker: Required<BreakerOptions> | false, sink: GuardSink): StoreGuard {
  let failures = 0;
  let state: 'open' | 'half-open' | 'closed' = 'closed';
  let openedAt = 0;
  let probing = false;
  let pending: Pending[] = [];
  let sweeper: ReturnType<typeof setInterval> | undefined;
  /** Coarse clock, updated by the sweeper while it runs (saves a Date.now() per operation). */
  let clock = 0;

  const transition = (next: typeof state): void => {
    if (state === next) return;
    state = next;
    sink.circuit(next);
  };
  const succeed = (): void => {
    failures = 0;
    probing = false;
    if (state !== 'closed') transition('closed');
  };
  const fail = (op: StoreOp, key: string | undefined, cause: unknown): Failed => {
    const error = cause instanceof StoreError ? cause : new StoreError('ERR_STORE', `store ${op} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    sink.error(op, key, error);
    probing = false;
    failures += 1;
    if (breaker !== false && (state === 'half-open' || failures >= breaker.failures)) {
      openedAt = Date.now();
      transition('open');
    }
    return FAILED;
  };
  /** Whether the breaker lets this call through. */
  const admit = (): boolean => {
    if (breaker === false || state === 'closed') return true;
    if (state === 'open' && Date.now() - openedAt >= breaker.resetAfter) transition('half-open');
    if (state === 'half-open' && !probing) {
      probing = true;
      return true;
    }
    return false;
  };
  const sweep = (): void => {
    clock = Date.now();
    const live: Pending[] = [];
    for (const p of pending) {
      if (p.done) continue;
      if (p.deadline > clock) live.push(p);
      else {
        p.done = true;
        p.resolve(fail(p.op, p.key, new StoreError('ERR_STORE_TIMEOUT', `store ${p.op} took longer than ${p.ms} ms`)));
      }
    }
    pending = live;
    if (pending.length === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };
  /** Settles with the reply, or with FAILED on an error or when the deadline passes first. */
  const guarded = <T>(p: Promise<T>, op: StoreOp, key: string | undefined, ms: number): Promise<T | Failed> => {
    if (sweeper === undefined) {
      clock = Date.now();
      sweeper = setInterval(sweep, Math.max(5, Math.min(100, ms / 4)));
      sweeper.unref();
    }
    let resolve!: (v: unknown) => void;
    const wrapper = new Promise<T | Failed>((r) => (resolve = r as (v: unknown) => void));
    const entry: Pending = { deadline: clock + ms, op, key, ms, resolve, done: false };
    pending.push(entry);
    p.then(
      (v) => {
        if (entry.done) return;
        entry.done = true;
        if (failures !== 0 || state !== 'closed') succeed();
        resolve(v);
      },
      (e: unknown) => {
        if (entry.done) return;
        entry.done = true;
        resolve(fail(op, key, e));
      },
    );
    return wrapper;
  };

  const run = <T>(op: StoreOp, key: string | undefined, call: () => T | Promise<T>, ms = timeout): T | Failed | Promise<T | Failed> => {
    if (!admit()) return FAILED;
    let r: T | Promise<T>;
    try {
      r = call();
    } catch (e) {
      return fail(op, key, e);
    }
    if (!(r instanceof Promise)) {
      if (failures !== 0 || state !== 'closed') succeed();
      return r;
    }
    return guarded(r, op, key, ms);
  };

  const get = <T>(store: { get(ns: string, key: string): T | Promise<T> }, ns: string, key: string, ms = timeout): T | Failed | Promise<T | Failed> => {
    if (state !== 'closed' && !admit()) return FAILED;
    let r: T | Promise<T>;
    try {
      r = store.get(ns, key);
    } catch (e) {
      return fail('get', key, e);
    }
    if (!(r instanceof Promise)) {
      if (failures !== 0 || state !== 'closed') succeed();
      return r;
    }
    return guarded(r, 'get', key, ms);
  };

  return Object.freeze({
    run,
    get,
    async strict<T>(op: StoreOp, call: () => T | Promise<T>): Promise<T> {
      let error: unknown;
      const r = await run(op, undefined, async () => {
        try {
          return await call();
        } catch (e) {
          error = e;
          throw e;
        }
      });
      if (r === FAILED) throw error instanceof StoreError ? error : new StoreError(state === 'open' && error === undefined ? 'ERR_CIRCUIT_OPEN' : 'ERR_STORE', `store ${op} failed${error instanceof Error ? `: ${error.message}` : state === 'open' ? ': circuit open' : ''}`, { cause: error });
      return r as T;
    },
    state: () => state,
    close() {
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
      pending = [];
    },
  });
}
