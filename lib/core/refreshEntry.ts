import { openCall, settle } from './call.js';
import { startFlight } from './compute.js';
import { currentComputation } from './context.js';
import { FAILED } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';

/**
 * `cached.refresh`: calls the function and overwrites the entry (race-free: an invalidation
 * during the call still wins). Concurrent calls of the same key join it.
 */
export async function refreshEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
): Promise<R> {
  const call = openCall(policy, stats, args);
  if (call === undefined) return policy.fn(...args);
  const parent = currentComputation();
  const read = await call.runtime.guard.get(
    call.runtime.store,
    call.runtime.namespace,
    call.key,
    policy.timeout,
  );
  return settle(await startFlight(call, read === FAILED ? undefined : read.epoch), parent);
}
