import { recordStaleHit } from '../events/record.js';
import { accept } from './cachedCall.js';
import { openCall, settle, type CallContext } from './call.js';
import { startFlight } from './compute.js';
import { withinTimeouts } from './computeDeadlines.js';
import { currentComputation, propagate, type Computation } from './context.js';
import { staleServable } from './entryRules.js';
import { FAILED, type Failed } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';
import type { ReadResult } from '../stores/Store.js';

/**
 * `cached.refresh`: calls the function and overwrites the entry (race-free: an invalidation
 * during the call still wins), within `hardTimeout`. When the function fails and `staleIfError`
 * is set, the cached value (fresh, or expired within that window) is returned instead.
 */
export async function refreshEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self?: unknown,
): Promise<R> {
  const call = openCall(policy, stats, args, self);
  if (call === undefined) return policy.fn.apply(self, args);
  const parent = currentComputation();
  const read = await call.runtime.guard.get(
    call.runtime.store,
    call.runtime.namespace,
    call.key,
    policy.timeout,
  );
  const flight = startFlight(call, read === FAILED ? undefined : read.epoch);
  const outcome = await withinTimeouts(call, flight, false);
  if (typeof outcome === 'object' && !outcome.ok) {
    const fallback = await cachedFallback(call, read, parent);
    if (fallback !== NONE) return fallback as R;
  }
  return settle(outcome as Exclude<typeof outcome, symbol>, parent);
}

const NONE: unique symbol = Symbol('none');

/** The cached value to return when a refresh failed, under `staleIfError`. */
async function cachedFallback<A extends unknown[], R>(
  call: CallContext<A, R>,
  read: ReadResult<unknown> | Failed,
  parent: Computation | undefined,
): Promise<unknown> {
  const { policy, runtime, key } = call;
  if (read === FAILED || !read.hit || !staleServable(read, policy.staleIfError)) return NONE;
  const verdict = await accept(call, read);
  if (!verdict.ok) return NONE;
  recordStaleHit(runtime.events, call.stats, call.probe, policy.name, key, 'error');
  propagate(parent, read.tags, read.state === 'fresh' ? read.ttl : 0);
  return verdict.value;
}
