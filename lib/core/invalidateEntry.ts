import { openCall } from './call.js';
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
  await runtime.guard.strict('delete', () => runtime.store.delete(runtime.namespace, [key]));
  runtime.trace?.({ type: 'delete', cache: runtime.name, keys: [key] });
}
