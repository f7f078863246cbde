import { recordHit, recordStaleHit, recordWrite } from '../events/record.js';
import { callContext, keyFor, runtimeFor, type CallContext } from '../core/call.js';
import {
  currentComputation,
  newComputation,
  propagate,
  runComputationSync,
  type Computation,
} from '../core/context.js';
import { policyTtl, spread, staleServable } from '../core/entryRules.js';
import { decodePayload, encodePayload } from '../core/payload.js';
import { FAILED, type Failed } from '../core/storeGuard.js';
import { InvalidOptionsError, type TagcacheError } from '../errors.js';
import type { Policy } from '../core/policy.js';
import type { Runtime } from '../core/runtime.js';
import type { CacheStats } from '../core/types.js';
import type { ReadResult, StoreHit } from '../stores/Store.js';

// The synchronous read and write paths of `withCacheSync`: the same decisions as cachedCall.ts
// and compute.ts, on a store whose operations return plain values. No single flight is needed:
// nothing else runs while a synchronous computation does.

/** Thrown when the cache's store answered with a promise (it was swapped for a remote one). */
export function notSynchronous(runtime: Runtime): InvalidOptionsError {
  return new InvalidOptionsError(
    'cache',
    `withCacheSync needs a store that answers synchronously (memory, null); the cache "${runtime.name}" is on a ${runtime.store.kind} store`,
  );
}

/** A store reply, which must not be a promise; a promise is silenced and refused. */
export function syncReply<T>(runtime: Runtime, reply: T | Failed | Promise<T | Failed>): T | Failed {
  if (reply instanceof Promise) {
    reply.catch(() => undefined);
    throw notSynchronous(runtime);
  }
  return reply;
}

/** Writes an entry unless the store refuses it (see compute.ts `writeEntry`). */
function writeSync<A extends unknown[], R>(
  call: CallContext<A, R>,
  value: unknown,
  isError: boolean,
  tags: readonly string[],
  ttl: number,
  epoch: number,
): void {
  const { runtime, policy, key } = call;
  let payload: unknown;
  try {
    payload = encodePayload(runtime, value, isError);
  } catch (e) {
    runtime.emit?.({
      type: 'serialize-error',
      cache: runtime.name,
      name: policy.name,
      key,
      error: e as TagcacheError,
    });
    return;
  }
  const entry = { payload, tags, createdAt: Date.now(), ttl, grace: policy.grace, error: isError };
  const written = syncReply(
    runtime,
    runtime.guard.run(
      'set',
      key,
      () => runtime.store.set(runtime.namespace, key, entry, epoch),
      policy.timeout,
    ),
  );
  recordWrite(
    runtime.events,
    call.stats,
    policy.name,
    key,
    written === FAILED ? 'failed' : written,
    ttl,
    tags,
    0,
  );
}

/** Runs the function in its own dependency context and writes the entry (when `epoch` is known). */
export function computeSync<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
  parent: Computation | undefined,
): R {
  const { policy, runtime } = call;
  const computation = newComputation(
    call.key.slice(runtime.keyPrefix.length),
    policy.argTags(call.args, call.self),
    runtime,
  );
  call.stats.calls += 1;
  let value: R;
  try {
    value = runComputationSync(computation, () => policy.fn.apply(call.self, call.args) as unknown as R);
  } catch (error) {
    const tags = [...computation.tags];
    const ttl = Math.min(runtime.ttl, computation.ttlCap);
    if (policy.cacheError?.(error) === true && epoch !== undefined && ttl > 0)
      writeSync(call, error, true, tags, ttl, epoch);
    propagate(parent, tags, ttl);
    throw error;
  }
  if (typeof (value as { then?: unknown } | null)?.then === 'function')
    throw new TypeError(
      `withCacheSync: ${policy.name} returned a promise; cache async functions with withCache`,
    );
  if (policy.valueTags !== undefined)
    for (const t of policy.valueTags(value, call.args, call.self)) computation.tags.add(t);
  const tags = [...computation.tags];
  const ttl = Math.min(
    spread(computation.ttlSet ?? policyTtl(policy, runtime, value), policy.jitter),
    computation.ttlCap,
    runtime.maxTtl,
  );
  if (epoch !== undefined && ttl > 0 && (policy.cacheIf === undefined || policy.cacheIf(value)))
    writeSync(call, value, false, tags, ttl, epoch);
  propagate(parent, tags, ttl);
  return value;
}

type Verdict =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly drop: boolean };

/** Decodes a hit and applies `schema` (which must validate synchronously) and `validate`. */
function acceptSync<A extends unknown[], R>(call: CallContext<A, R>, hit: StoreHit<unknown>): Verdict {
  const { policy, runtime, key } = call;
  let value: unknown;
  try {
    value = decodePayload(runtime, hit.payload, hit.error, policy.errorClasses, hit.slot);
  } catch (e) {
    runtime.emit?.({
      type: 'decode-error',
      cache: runtime.name,
      name: policy.name,
      key,
      error: e as TagcacheError,
    });
    return { ok: false, drop: true };
  }
  if (hit.error) return { ok: true, value };
  if (policy.schema !== undefined) {
    const result = policy.schema['~standard'].validate(value);
    if (result instanceof Promise)
      throw new InvalidOptionsError('schema', 'withCacheSync needs a schema that validates synchronously');
    if (result.issues !== undefined) return { ok: false, drop: true };
  }
  const age = Date.now() - hit.createdAt;
  if (
    policy.validate !== undefined &&
    !policy.validate({ value: value as R, createdAt: hit.createdAt, age, ttl: hit.ttl, tags: hit.tags })
  )
    return { ok: false, drop: false };
  return { ok: true, value };
}

/** The epoch to compute at after dropping an unusable entry. */
function dropSync<A extends unknown[], R>(call: CallContext<A, R>): number | undefined {
  const { runtime, key, policy } = call;
  call.stats.dropped += 1;
  const deleted = syncReply(
    runtime,
    runtime.guard.run('delete', key, () => runtime.store.delete(runtime.namespace, [key]), policy.timeout),
  );
  if (deleted === FAILED) return undefined;
  const read = syncReply(runtime, runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout));
  return read === FAILED ? undefined : read.epoch;
}

/** Serves a hit, or computes: everything after the read. */
function afterReadSync<A extends unknown[], R>(
  call: CallContext<A, R>,
  parent: Computation | undefined,
  read: ReadResult<unknown> | Failed,
): R {
  const { runtime, policy, key } = call;
  if (read === FAILED) {
    call.stats.errors += 1;
    return computeSync(call, undefined, parent);
  }
  if (!read.hit) return computeSync(call, read.epoch, parent);
  const verdict = acceptSync(call, read);
  if (!verdict.ok) return computeSync(call, verdict.drop ? dropSync(call) : read.epoch, parent);
  if (read.state === 'fresh') {
    recordHit(runtime.events, call.stats, undefined, policy.name, key, read.ttl);
    propagate(parent, read.tags, read.ttl);
    if (read.error) throw verdict.value;
    return verdict.value as R;
  }
  try {
    return computeSync(call, read.epoch, parent);
  } catch (error) {
    if (!staleServable(read, policy.staleIfError)) throw error;
    recordStaleHit(runtime.events, call.stats, undefined, policy.name, key, 'error');
    propagate(parent, read.tags, 0);
    return verdict.value as R;
  }
}

/** One call of a synchronous cached function (with `this` = `self`). */
export function syncCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self: unknown,
): R {
  const runtime = runtimeFor(policy);
  if (runtime === undefined) return policy.fn.apply(self, args) as unknown as R;
  const key = keyFor(policy, runtime, args, self);
  const parent = currentComputation();
  const read = syncReply(runtime, runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout));
  if (read !== FAILED && read.hit && read.state === 'fresh' && policy.plainHit && runtime.store.holdsValues) {
    recordHit(runtime.events, stats, undefined, policy.name, key, read.ttl);
    if (parent !== undefined) propagate(parent, read.tags, read.ttl);
    if (read.error) throw read.payload;
    return read.payload as R;
  }
  return afterReadSync(callContext(policy, runtime, stats, key, args, self), parent, read);
}
