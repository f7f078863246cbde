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
import { elapsedSince, newProbe, type CallProbe } from '../events/probe.js';
import {
  countHit,
  recordDropped,
  recordFailOpen,
  recordHit,
  recordJoin,
  recordMiss,
  recordStaleHit,
} from '../events/record.js';
import { recordProblem, recordRejected } from '../events/recordProblems.js';
import { getTraced, traceOn, type TraceContext } from '../events/tracingChannels.js';

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
  recordMiss(runtime.events, call.stats, call.probe, policy.name, key);
  const flight = runtime.inflight.get(key);
  if (flight !== undefined && epoch !== undefined && flight.epoch === epoch) {
    recordJoin(call.stats);
    return flight.promise as Promise<Outcome<R>>;
  }
  return startFlight(call, epoch, policy.lock === undefined ? compute : lockedCompute);
}

/** Refreshes the entry in the background unless a computation of it is already running. */
function background<A extends unknown[], R>(call: CallContext<A, R>, epoch: number): void {
  const { runtime, policy, key } = call;
  if (runtime.inflight.has(key)) return;
  const report = (error: unknown): void =>
    recordProblem(runtime.events, 'refresh-error', { name: policy.name, key, error });
  startFlight(call, epoch).then((outcome) => {
    if (!outcome.ok) report(outcome.error);
  }, report);
}

function maybeRefreshAhead<A extends unknown[], R>(call: CallContext<A, R>, hit: StoreHit<unknown>): void {
  const total = Date.now() - hit.createdAt + hit.ttl;
  if (hit.ttl < total * call.policy.refreshAhead) background(call, hit.epoch);
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
    value = decodePayload(runtime, hit.payload, hit.error, policy.errorClasses, hit.slot);
  } catch (e) {
    recordProblem(runtime.events, 'decode-error', { name: policy.name, key, error: e as TagcacheError });
    return { ok: false, drop: true };
  }
  if (hit.error) return { ok: true, value };
  if (policy.schema !== undefined) {
    const result = await policy.schema['~standard'].validate(value);
    if (result.issues !== undefined) {
      recordRejected(runtime.events, policy.name, key, 'schema');
      return { ok: false, drop: true };
    }
    value = result.value;
  }
  if (
    policy.validate !== undefined &&
    !policy.validate({
      value: value as R,
      createdAt: hit.createdAt,
      age: Date.now() - hit.createdAt,
      ttl: hit.ttl,
      tags: hit.tags,
    })
  ) {
    recordRejected(runtime.events, policy.name, key, 'validate');
    return { ok: false, drop: false };
  }
  return { ok: true, value };
}

/** Removes an entry that cannot be used and reads the epoch to recompute at. */
async function dropAndReread<A extends unknown[], R>(call: CallContext<A, R>): Promise<number | undefined> {
  const { runtime, key, policy } = call;
  recordDropped(call.stats);
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
    recordFailOpen(call.stats);
    return computeAndSettle(call, undefined, parent);
  }
  if (!read.hit) return computeAndSettle(call, read.epoch, parent);
  const verdict = await accept(call, read);
  if (!verdict.ok)
    return computeAndSettle(call, verdict.drop ? await dropAndReread(call) : read.epoch, parent);
  if (read.state === 'fresh') {
    recordHit(runtime.events, call.stats, call.probe, policy.name, key, read.ttl);
    propagate(parent, read.tags, read.ttl);
    if (policy.refreshAhead > 0) maybeRefreshAhead(call, read);
    if (read.error) throw verdict.value;
    return verdict.value as R;
  }
  const serveStale = (reason: 'revalidate' | 'error' | 'invalidated' | 'timeout'): R => {
    recordStaleHit(runtime.events, call.stats, call.probe, policy.name, key, reason);
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
 * After the read: a plain fresh hit is answered here without building a {@link CallContext}: it
 * gives the value itself (or throws the cached error), so that, run as the read's continuation,
 * it costs no promise of its own; anything else goes to {@link slowPath}.
 */
function answer<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  self: unknown,
  parent: Computation | undefined,
  read: ReadResult<unknown> | Failed,
  probe: CallProbe | undefined,
): R | Promise<R> {
  if (read !== FAILED && read.hit && read.state === 'fresh' && policy.plainHit) {
    let value: unknown = read.payload;
    if (!runtime.store.holdsValues) {
      try {
        value = decodePayload(runtime, read.payload, read.error, policy.errorClasses, read.slot);
      } catch (e) {
        recordProblem(runtime.events, 'decode-error', { name: policy.name, key, error: e as TagcacheError });
        const call = callContext(policy, runtime, stats, key, args, self, probe);
        return dropAndReread(call).then((epoch) => computeAndSettle(call, epoch, parent));
      }
    }
    recordHit(runtime.events, stats, probe, policy.name, key, read.ttl);
    if (parent !== undefined) propagate(parent, read.tags, read.ttl);
    if (policy.refreshAhead > 0)
      maybeRefreshAhead(callContext(policy, runtime, stats, key, args, self), read);
    if (read.error) throw value;
    return value as R;
  }
  return slowPath(callContext(policy, runtime, stats, key, args, self, probe), parent, read);
}

/**
 * Reads the entry and answers the call from it (or computes). A pending read is continued by
 * {@link answer} directly (one promise from the read to the caller); a synchronous one (an
 * in-process store) is answered at once.
 */
function readAndAnswer<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  self: unknown,
  probe: CallProbe | undefined,
  parent: Computation | undefined = currentComputation(),
): Promise<R> {
  const read = runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout);
  if (read instanceof Promise)
    return read.then((result) => answer(policy, runtime, stats, key, args, self, parent, result, probe));
  try {
    return Promise.resolve(answer(policy, runtime, stats, key, args, self, parent, read, probe));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * The plain hit of an in-process store that has {@link Store.freshEntry}, when nothing observes
 * the call and no computation encloses it (so nothing needs the entry's tags or TTL): the stored
 * entry is decoded as it is, no read record is built. Undefined sends the call down the full path,
 * which reads again (and reports a decode error, if that was the reason).
 */
function freshHit<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
): Promise<R> | undefined {
  const entry = runtime.guard.fresh(runtime.store, runtime.namespace, key);
  if (entry === undefined) return undefined;
  let value: unknown = entry.payload;
  if (!runtime.store.holdsValues) {
    try {
      value = decodePayload(runtime, entry.payload, entry.error, policy.errorClasses, entry);
    } catch {
      return undefined;
    }
  }
  countHit(stats);
  return entry.error ? Promise.reject(value) : Promise.resolve(value as R);
}

/**
 * A call someone observes (listeners, metrics, debug, `onCall`, the `tagcache:get` channel): one
 * probe records its outcome and start time, and is the channel's context object. No closure is
 * made unless the channel or `onCall` needs one.
 */
function observedCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  self: unknown,
): Promise<R> {
  const timed = runtime.events.timed || policy.onCall !== undefined || getTraced();
  const probe = newProbe(runtime.name, policy.name, key, timed);
  const promise = getTraced()
    ? traceOn('get', probe as unknown as TraceContext, () =>
        readAndAnswer(policy, runtime, stats, key, args, self, probe),
      )
    : readAndAnswer(policy, runtime, stats, key, args, self, probe);
  return policy.onCall === undefined ? promise : reportCall(policy, runtime, args, probe, promise);
}

/** Hands `onCall` what happened once the call settles; a throwing `onCall` is reported once. */
function reportCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  probe: CallProbe,
  promise: Promise<R>,
): Promise<R> {
  const onCall = policy.onCall as NonNullable<Policy<A, R>['onCall']>;
  const report = (value: R | undefined, error: unknown): void => {
    const { outcome, key } = probe;
    const hit = outcome === 'hit' || outcome === 'stale-hit';
    const durationMs = elapsedSince(probe.startedAt);
    try {
      onCall({ hit, stale: outcome === 'stale-hit', key, args, value, error, durationMs });
    } catch (e) {
      runtime.events.failed(onCall, `onCall of ${policy.name}`, e);
    }
  };
  return promise.then(
    (value) => {
      report(value, undefined);
      return value;
    },
    (error: unknown) => {
      report(undefined, error);
      throw error;
    },
  );
}

/** One call of a cached function (with `this` = `self`): read, then hit, stale serving or single-flight miss. */
export function cachedCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self?: unknown,
): Promise<R> {
  let runtime: Runtime | undefined;
  let key: string;
  try {
    runtime = runtimeFor(policy);
    if (runtime === undefined) return policy.fn.apply(self, args);
    key = keyFor(policy, runtime, args, self);
  } catch (e) {
    return Promise.reject(e);
  }
  return cachedCallAt(policy, runtime, stats, key, args, self);
}

/**
 * {@link cachedCall} once the runtime and the key are known (a decorated method finds its key
 * its own way, see instanceKey.ts).
 */
export function cachedCallAt<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  self: unknown,
): Promise<R> {
  if (runtime.events.active || policy.onCall !== undefined || getTraced())
    return observedCall(policy, runtime, stats, key, args, self);
  const parent = currentComputation();
  if (parent === undefined && policy.shortHit) {
    const hit = freshHit(policy, runtime, stats, key);
    if (hit !== undefined) return hit;
  }
  return readAndAnswer(policy, runtime, stats, key, args, self, undefined, parent);
}
