import { openCall } from './call.js';
import { resolveCache } from './defaults.js';
import { deferKeys } from './deferral.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';
import { recordDelete, startTimer } from '../events/record.js';

/** `cached.invalidate`: drops the entry for `args`; calls already running for it will not write. */
export async function invalidateEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self?: unknown,
): Promise<void> {
  const call = openCall(policy, stats, args, self);
  if (call === undefined) return;
  const { runtime, key } = call;
  if (deferKeys(resolveCache(policy.cache), [key.slice(runtime.keyPrefix.length)])) return;
  const t0 = startTimer(runtime.events);
  await runtime.events.around(
    'invalidate',
    () => ({ cache: runtime.name, name: policy.name, keys: [key] }),
    () => runtime.guard.strict('delete', () => runtime.store.delete(runtime.namespace, [key])),
  );
  recordDelete(runtime.events, [key], policy.name, t0);
}
