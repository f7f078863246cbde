import { keyFor, runtimeFor } from './call.js';
import { invalidateEntry } from './invalidateEntry.js';
import { peekEntry } from './peekEntry.js';
import { refreshEntry } from './refreshEntry.js';
import { setEntry } from './setEntry.js';
import { definitionOf, type CacheStats, type Cached } from './types.js';
import type { Policy } from './policy.js';
import { invalidateAllOf, peekEntryInfo } from '../kv/functionMethods.js';

/**
 * The helpers (`peek`, `peekEntry`, `invalidateAll`, `set`, `invalidate`, `refresh`, `uncached`, `keyOf`, `stats`) of a cached
 * function, for calls made with `this` = `self` (undefined for `withCache`; the instance for the
 * view of a decorated method). Internal.
 */
export function cachedHelpers<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  self: unknown,
): Omit<Cached<A, R>, typeof definitionOf> {
  const { fn } = policy;
  return {
    peek: (...args: A) => peekEntry(policy, stats, args, self),
    peekEntry: (...args: A) => peekEntryInfo(policy, args, self),
    invalidateAll: () => invalidateAllOf(policy),
    set: (value: R, ...args: A) => setEntry(policy, stats, value, args, self),
    invalidate: (...args: A) => invalidateEntry(policy, stats, args, self),
    refresh: (...args: A) => refreshEntry(policy, stats, args, self),
    uncached: (...args: A) => fn.apply(self, args),
    keyOf: (...args: A) => {
      const runtime = runtimeFor(policy);
      return runtime === undefined
        ? policy.name + ':' + policy.material(args, self)
        : keyFor(policy, runtime, args, self).slice(runtime.keyPrefix.length);
    },
    stats: (): CacheStats => ({ ...stats }),
  } as Omit<Cached<A, R>, typeof definitionOf>;
}
