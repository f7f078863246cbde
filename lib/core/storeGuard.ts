import { createCircuitBreaker, type BreakerOptions, type CircuitState } from './circuitBreaker.js';
import { createDeadlineSweep } from './deadlineSweep.js';
import { StoreError, type TagcacheError } from '../errors.js';
import type { Timers } from './timers.js';
import type { StoreOp } from '../events/CacheEvent.js';
import type { ReadTarget } from '../stores/Store.js';

/** Returned by a guarded operation that failed, timed out, or was skipped by the breaker. */
export const FAILED: unique symbol = Symbol('tagcache.failed');
/** The type of {@link FAILED}. */
export type Failed = typeof FAILED;

/** What the guard reports: errors and circuit transitions. */
export interface GuardSink {
  error(op: StoreOp, key: string | undefined, error: TagcacheError): void;
  circuit(state: CircuitState): void;
}

/**
 * Runs store operations so that they never throw: a failure, a timeout or an open circuit gives
 * {@link FAILED}. A circuit breaker ({@link createCircuitBreaker}) decides what goes through;
 * timeouts use one shared sweep ({@link createDeadlineSweep}), not a timer per operation.
 */
export interface StoreGuard {
  run<T>(
    op: StoreOp,
    key: string | undefined,
    call: () => T | Promise<T>,
    timeout?: number,
  ): T | Failed | Promise<T | Failed>;
  /**
   * The hot path of `run` without a closure: `get(namespace, key)` on `store`, or its `readInto`
   * when it has one (the deadline's target takes the reply: no promise of the store's own).
   */
  get<T>(
    store: ReadableStore<T>,
    namespace: string,
    key: string,
    timeout?: number,
  ): T | Failed | Promise<T | Failed>;
  /**
   * The plain hit's shortcut, {@link Store.freshEntry}: the store's fresh entry of `key`, or
   * undefined (then `get`) when the store has no shortcut, the circuit is not closed, the store has
   * not connected yet, or the shortcut threw (`get` then meets and reports the failure).
   */
  fresh<E>(
    store: { freshEntry?(namespace: string, key: string): E | undefined },
    namespace: string,
    key: string,
  ): E | undefined;
  /**
   * Connects now (the store's `ready()`): resolves once the store can take operations, rejects
   * with the real cause. Later operations no longer wait for the connection.
   */
  ready(): Promise<void>;
  /** Like `run`, but rejects with the StoreError instead of giving FAILED (for invalidation). */
  strict<T>(op: StoreOp, call: () => T | Promise<T>): Promise<T>;
  state(): CircuitState;
  close(): void;
}

/** What {@link StoreGuard.get} reads from: a store's `get`, and its `readInto` if it has one. */
export interface ReadableStore<T> {
  get(namespace: string, key: string): T | Promise<T>;
  readInto?(namespace: string, key: string, target: ReadTarget<T>): void;
}

/** Settings of {@link createStoreGuard}. */
export interface StoreGuardOptions {
  /** Default timeout of an operation, ms. */
  readonly timeout: number;
  readonly breaker: Required<BreakerOptions> | false;
  readonly timers: Timers;
  readonly sink: GuardSink;
  /**
   * The store's `ready()`, when it has one: operations wait for it (bounded by
   * {@link CONNECT_TIMEOUT_MS}) before their own `timeout` is armed, until it first resolves.
   */
  readonly connect?: (() => Promise<void>) | undefined;
}

/** The longest an operation waits for the store's first connection. */
export const CONNECT_TIMEOUT_MS = 10_000;

const asStoreError = (op: StoreOp, cause: unknown): StoreError =>
  cause instanceof StoreError
    ? cause
    : new StoreError('ERR_STORE', `store ${op} failed: ${(cause as Error)?.message ?? String(cause)}`, {
        cause,
      });

/** Creates the guard of one cache. */
export function createStoreGuard({
  timeout,
  breaker: breakerOptions,
  timers,
  sink,
  connect,
}: StoreGuardOptions): StoreGuard {
  const breaker = createCircuitBreaker(breakerOptions, timers.now, (state) => sink.circuit(state));
  /** The last failure, carried as the `cause` of the StoreError of an open circuit. */
  let lastFailure: StoreError | undefined;
  const fail = (op: StoreOp, key: string | undefined, cause: unknown): Failed => {
    lastFailure = asStoreError(op, cause);
    sink.error(op, key, lastFailure);
    breaker.failure();
    return FAILED;
  };
  const sweep = createDeadlineSweep<Failed>(timers, {
    replied: () => breaker.success(),
    failed: fail,
    late: (op, key, ms) =>
      fail(op, key, new StoreError('ERR_STORE_TIMEOUT', `store ${op} took longer than ${ms} ms`)),
  });
  const readiness = connection(connect);
  /** Waits for the first connection (its own deadline), then runs `then` with its own timeout. */
  const afterConnect = <T>(
    op: StoreOp,
    key: string | undefined,
    then: () => T | Failed | Promise<T | Failed>,
  ): Promise<T | Failed> =>
    sweep
      .track(readiness.wait(), Math.max(CONNECT_TIMEOUT_MS, timeout), op, key)
      .then((r) => (r === FAILED ? FAILED : then()));

  const run = <T>(
    op: StoreOp,
    key: string | undefined,
    call: () => T | Promise<T>,
    ms = timeout,
  ): T | Failed | Promise<T | Failed> => {
    if (!breaker.admit()) return FAILED;
    if (!readiness.done) return afterConnect(op, key, () => runAdmitted(op, key, call, ms));
    return runAdmitted(op, key, call, ms);
  };
  const runAdmitted = <T>(
    op: StoreOp,
    key: string | undefined,
    call: () => T | Promise<T>,
    ms: number,
  ): T | Failed | Promise<T | Failed> => {
    let reply: T | Promise<T>;
    try {
      reply = call();
    } catch (e) {
      return fail(op, key, e);
    }
    if (reply instanceof Promise) return sweep.track(reply, ms, op, key);
    breaker.success();
    return reply;
  };

  /** `run` for `get`, without a closure per call (the hit path). */
  const get = <T>(
    store: ReadableStore<T>,
    namespace: string,
    key: string,
    ms = timeout,
  ): T | Failed | Promise<T | Failed> => {
    if (!breaker.admit()) return FAILED;
    if (!readiness.done)
      return afterConnect('get', key, () => runAdmitted('get', key, () => store.get(namespace, key), ms));
    if (store.readInto !== undefined) {
      const deadline = sweep.open<T>(ms, 'get', key);
      const settled = deadline.promise;
      try {
        store.readInto(namespace, key, deadline);
      } catch (e) {
        deadline.failed(e);
      }
      return settled;
    }
    let reply: T | Promise<T>;
    try {
      reply = store.get(namespace, key);
    } catch (e) {
      return fail('get', key, e);
    }
    if (reply instanceof Promise) return sweep.track(reply, ms, 'get', key);
    breaker.success();
    return reply;
  };

  const fresh = <E>(
    store: { freshEntry?(namespace: string, key: string): E | undefined },
    namespace: string,
    key: string,
  ): E | undefined => {
    if (store.freshEntry === undefined || !readiness.done || breaker.state() !== 'closed') return undefined;
    let entry: E | undefined;
    try {
      entry = store.freshEntry(namespace, key);
    } catch {
      return undefined;
    }
    if (entry !== undefined) breaker.success();
    return entry;
  };

  const strict = async <T>(op: StoreOp, call: () => T | Promise<T>): Promise<T> => {
    let error: unknown;
    const r = await run(op, undefined, async () => {
      try {
        return await call();
      } catch (e) {
        error = e;
        throw e;
      }
    });
    if (r !== FAILED) return r as T;
    if (error instanceof StoreError) throw error;
    const open = breaker.state() === 'open' && error === undefined;
    const detail =
      error instanceof Error ? `: ${error.message}` : breaker.state() === 'open' ? ': circuit open' : '';
    throw new StoreError(open ? 'ERR_CIRCUIT_OPEN' : 'ERR_STORE', `store ${op} failed${detail}`, {
      cause: open ? lastFailure : error,
    });
  };

  return Object.freeze({
    run,
    get,
    fresh,
    ready: readiness.ready,
    strict,
    state: breaker.state,
    close: sweep.close,
  });
}

interface Connection {
  /** True once the store's `ready()` resolved (or when it has none): operations stop waiting. */
  readonly done: boolean;
  /** The connection attempt in progress, or a new one. */
  wait(): Promise<void>;
  /** Like `wait`, for `cache.ready()`. */
  ready(): Promise<void>;
}

/** Tracks the first connection of a store with a `ready()`. */
function connection(connect: (() => Promise<void>) | undefined): Connection {
  let pending: Promise<void> | undefined;
  const state = {
    done: connect === undefined,
    wait(): Promise<void> {
      if (connect === undefined || state.done) return Promise.resolve();
      pending ??= connect().then(
        () => {
          state.done = true;
          pending = undefined;
        },
        (e: unknown) => {
          pending = undefined;
          throw e;
        },
      );
      return pending;
    },
    ready: (): Promise<void> =>
      connect === undefined ? Promise.resolve() : connect().then(() => void (state.done = true)),
  };
  return state;
}
