import { openCall } from './call.js';
import { resolveCache } from './defaults.js';
import { deferKeys } from './deferral.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';

/** `cached.invalidate`: drops the entry for `args`; calls already running for it will not write. */
export async function invalidateEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
): Promise<void> {
  const call = openCall(policy, stats, args);
  if (call === undefined) return;
  const { runtime, key } = call;
  if (deferKeys(resolveCache(policy.cache), [key.slice(runtime.keyPrefix.length)])) return;
  await runtime.guard.strict('delete', () => runtime.store.delete(runtime.namespace, [key]));
  runtime.trace?.({ type: 'delete', cache: runtime.name, keys: [key] });
}
