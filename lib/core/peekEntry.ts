import { openCall } from './call.js';
import { currentComputation, propagate } from './context.js';
import { staleServable } from './entryRules.js';
import { accept } from './cachedCall.js';
import { FAILED } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';

/**
 * `cached.peek`: reads the entry for `args` without calling the function (fresh values only, or
 * stale ones inside the stale-while-revalidate window), checked like a hit (`schema` gives its
 * parsed output, `validate`).
 */
export async function peekEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self?: unknown,
): Promise<R | undefined> {
  const call = openCall(policy, stats, args, self);
  if (call === undefined) return undefined;
  const { runtime, key } = call;
  const read = await runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout);
  if (read === FAILED || !read.hit || read.error) return undefined;
  if (read.state !== 'fresh' && !staleServable(read, policy.staleWhileRevalidate)) return undefined;
  const verdict = await accept(call, read);
  if (!verdict.ok) return undefined;
  propagate(currentComputation(), read.tags, read.state === 'fresh' ? read.ttl : 0);
  return verdict.value as R;
}
