import { callContext, keyFor, runtimeFor, settle, type CallContext, type Outcome } from './call.js';
import { compute, startFlight } from './compute.js';
import { SOFT_TIMEOUT, withinTimeouts } from './computeDeadlines.js';
import { currentComputation, propagate, type Computation } from './context.js';
import { staleServable } from './entryRules.js';
import { lockedCompute } from './lock.js';
import { decodePayload } from './payload.js';
import { FAILED, type Failed } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { Runtime } from './runtime.js';
import type { CacheStats } from './types.js';
import type { StoreHit, ReadResult } from '../stores/Store.js';
import type { TagcacheError } from '../errors.js';

// The read path of a cached call: read the entry, then a hit, stale serving, or a miss handed
// to the computation path (compute.ts, lock.ts), whose outcome comes back here. Nothing on the
// computation path calls back into this file.

/**
 * A miss: join the in-process flight started at the same epoch, or start one. A call whose epoch
 * is unknown (the store could not be read: circuit open, store down) never joins, nor is joined:
 * an invalidation may have happened since that flight started, unseen by either.
 */
function miss<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
): Promise<Outcome<R>> {
  const { runtime, policy, key } = call;
  call.stats.misses += 1;
  runtime.trace?.({ type: 'miss', cache: runtime.name, name: policy.name, key });
  const flight = runtime.inflight.get(key);
  if (flight !== undefined && epoch !== undefined && flight.epoch === epoch) {
    call.stats.joins += 1;
    return flight.promise as Promise<Outcome<R>>;
  }
  return startFlight(call, epoch, policy.lock === undefined ? compute : lockedCompute);
}

/** Refreshes the entry in the background unless a computation of it is already running. */
function background<A extends unknown[], R>(call: CallContext<A, R>, epoch: number): void {
  const { runtime, policy, key } = call;
  if (runtime.inflight.has(key)) return;
  const report = (error: unknown): void =>
    runtime.emit?.({ type: 'refresh-error', cache: runtime.name, name: policy.name, key, error });
  startFlight(call, epoch).then((outcome) => {
    if (!outcome.ok) report(outcome.error);
  }, report);
}

function maybeRefreshAhead<A extends unknown[], R>(call: CallContext<A, R>, hit: StoreHit<unknown>): void {
  const total = Date.now() - hit.createdAt + hit.ttl;
  if (hit.ttl < total * call.policy.refreshAhead) background(call, hit.epoch);
}

/** An entry that could not be decoded: a warning event (the entry is then dropped). */
function reportDecodeError(runtime: Runtime, name: string, key: string, error: unknown): void {
  runtime.emit?.({ type: 'decode-error', cache: runtime.name, name, key, error: error as TagcacheError });
}

type Verdict =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly drop: boolean };

/**
 * Decodes a hit and applies `schema` and `validate`; with `schema` the value is the schema's
 * parsed output (so `z.coerce.date()` turns a JSON string back into a Date).
 */
export async function accept<A extends unknown[], R>(
  call: CallContext<A, R>,
  hit: StoreHit<unknown>,
): Promise<Verdict> {
  const { policy, runtime, key } = call;
  let value: unknown;
  try {
    value = decodePayload(runtime, hit.payload, hit.error, policy.errorClasses);
  } catch (e) {
    reportDecodeError(runtime, policy.name, key, e);
    return { ok: false, drop: true };
  }
  if (hit.error) return { ok: true, value };
  if (policy.schema !== undefined) {
    const result = await policy.schema['~standard'].validate(value);
    if (result.issues !== undefined) {
      runtime.trace?.({
        type: 'rejected-entry',
        cache: runtime.name,
        name: policy.name,
        key,
        reason: 'schema',
      });
      return { ok: false, drop: true };
    }
    value = result.value;
  }
  if (
    policy.validate !== undefined &&
    !policy.validate({ value: value as R, createdAt: hit.createdAt, age: Date.now() - hit.createdAt })
  ) {
    runtime.trace?.({
      type: 'rejected-entry',
      cache: runtime.name,
      name: policy.name,
      key,
      reason: 'validate',
    });
    return { ok: false, drop: false };
  }
  return { ok: true, value };
}

/** Removes an entry that cannot be used and reads the epoch to recompute at. */
async function dropAndReread<A extends unknown[], R>(call: CallContext<A, R>): Promise<number | undefined> {
  const { runtime, key, policy } = call;
  call.stats.dropped += 1;
  const deleted = await runtime.guard.run(
    'delete',
    key,
    () => runtime.store.delete(runtime.namespace, [key]),
    policy.timeout,
  );
  if (deleted === FAILED) return undefined;
  const read = await runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout);
  return read === FAILED ? undefined : read.epoch;
}

/** A miss with no stale value to fall back on: its outcome, within `hardTimeout`. */
async function computeAndSettle<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
  parent: Computation | undefined,
): Promise<R> {
  const outcome = await withinTimeouts(call, miss(call, epoch), false);
  return settle(outcome as Outcome<R>, parent);
}

/** Everything but a plain fresh hit: misses, store failures, checks, stale serving. */
async function slowPath<A extends unknown[], R>(
  call: CallContext<A, R>,
  parent: Computation | undefined,
  read: ReadResult<unknown> | Failed,
): Promise<R> {
  const { policy, runtime, key } = call;
  if (read === FAILED) {
    call.stats.errors += 1;
    return computeAndSettle(call, undefined, parent);
  }
  if (!read.hit) return computeAndSettle(call, read.epoch, parent);
  const verdict = await accept(call, read);
  if (!verdict.ok)
    return computeAndSettle(call, verdict.drop ? await dropAndReread(call) : read.epoch, parent);
  if (read.state === 'fresh') {
    call.stats.hits += 1;
    runtime.trace?.({ type: 'hit', cache: runtime.name, name: policy.name, key });
    propagate(parent, read.tags, read.ttl);
    if (policy.refreshAhead > 0) maybeRefreshAhead(call, read);
    if (read.error) throw verdict.value;
    return verdict.value as R;
  }
  const serveStale = (reason: 'revalidate' | 'error' | 'invalidated' | 'timeout'): R => {
    call.stats.staleHits += 1;
    runtime.trace?.({ type: 'stale-hit', cache: runtime.name, name: policy.name, key, reason });
    propagate(parent, read.tags, 0);
    return verdict.value as R;
  };
  if (staleServable(read, policy.staleWhileRevalidate)) {
    background(call, read.epoch);
    return serveStale(read.state === 'invalidated' ? 'invalidated' : 'revalidate');
  }
  const outcome = await withinTimeouts(call, miss(call, read.epoch), staleServable(read, policy.grace));
  if (outcome === SOFT_TIMEOUT) return serveStale('timeout');
  if (!outcome.ok && staleServable(read, policy.staleIfError)) return serveStale('error');
  return settle(outcome, parent);
}

/**
 * After the read: a plain fresh hit is answered here without building a {@link CallContext}
 * (no per-hit allocation but the result promise); anything else goes to {@link slowPath}.
 */
function afterRead<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  parent: Computation | undefined,
  read: ReadResult<unknown> | Failed,
): Promise<R> {
  if (read !== FAILED && read.hit && read.state === 'fresh' && policy.plainHit) {
    let value: unknown = read.payload;
    if (!runtime.store.holdsValues) {
      try {
        value = decodePayload(runtime, read.payload, read.error, policy.errorClasses);
      } catch (e) {
        reportDecodeError(runtime, policy.name, key, e);
        const call = callContext(policy, runtime, stats, key, args);
        return dropAndReread(call).then((epoch) => computeAndSettle(call, epoch, parent));
      }
    }
    stats.hits += 1;
    runtime.trace?.({ type: 'hit', cache: runtime.name, name: policy.name, key });
    if (parent !== undefined) propagate(parent, read.tags, read.ttl);
    if (policy.refreshAhead > 0) maybeRefreshAhead(callContext(policy, runtime, stats, key, args), read);
    return read.error ? Promise.reject(value) : Promise.resolve(value as R);
  }
  return slowPath(callContext(policy, runtime, stats, key, args), parent, read);
}

/** One call of a cached function: read, then hit, stale serving or single-flight miss. */
export function cachedCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
): Promise<R> {
  let runtime: Runtime | undefined;
  let key: string;
  try {
    runtime = runtimeFor(policy);
    if (runtime === undefined) return policy.fn(...args);
    key = keyFor(policy, runtime, args);
  } catch (e) {
    return Promise.reject(e);
  }
  const parent = currentComputation();
  const read = runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout);
  if (read instanceof Promise) {
    const resolved = runtime;
    return read.then((result) => afterRead(policy, resolved, stats, key, args, parent, result));
  }
  return afterRead(policy, runtime, stats, key, args, parent, read);
}
