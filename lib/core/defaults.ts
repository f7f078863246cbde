import { createCache, type Cache, type CacheConfig } from './createCache.js';
import { environmentStore } from './defaultStores.js';
import { findCache, getCache } from './registry.js';

let current: Cache | undefined;
/** Whether the library created the store of `current` (then `configure` closes it when replacing it). */
let storeCreatedHere = false;
let enabled = true;

/**
 * The process default cache, used by every wrapped function without a `cache` option: created on
 * first use, on the store `TAGCACHE_URL` names (`memory://` when unset), registered as `default`.
 * Its Redis connection does not keep the process alive; `defaultCache().close()` releases it.
 *
 * @example
 * ```ts
 * const cache = defaultCache();
 * await cache.close(); // at shutdown
 * ```
 */
export function defaultCache(): Cache {
  if (current === undefined) {
    current = createCache({ name: 'default', store: environmentStore() });
    storeCreatedHere = true;
  }
  return current;
}

/**
 * Replaces the process default cache (wrapped functions without a `cache` option use the new one
 * from their next call). Also registered as `default` unless `name` says otherwise. The store of
 * the replaced default is closed when the library created it (from `TAGCACHE_URL`, or a
 * `configure`/`createCache` without `store`); a store you passed in is yours to close.
 *
 * @example
 * ```ts
 * configure({ store: redisStore({ url: process.env.REDIS_URL! }), namespace: 'shop', ttl: '10m' });
 * ```
 */
export function configure(config: CacheConfig = {}): Cache {
  const replaced = storeCreatedHere ? current : undefined;
  current = createCache({ name: 'default', ...config });
  storeCreatedHere = config.store === undefined;
  if (replaced !== undefined && replaced.store !== current.store)
    // Closing drops what the old store still had pending; nobody waits on it, so a failure is moot.
    replaced.close().catch(() => undefined);
  return current;
}

/**
 * The cache the `cache` option names if it exists now: no default is created, an unknown name
 * gives undefined (internal; wrap time).
 */
export function existingCache(ref: Cache | string | undefined): Cache | undefined {
  if (ref === undefined) return current;
  return typeof ref === 'string' ? findCache(ref) : ref;
}

/**
 * Resolves the `cache` option: a handle, a registered name, or the default.
 */
export function resolveCache(ref: Cache | string | undefined): Cache {
  if (ref === undefined) return current ?? defaultCache();
  return typeof ref === 'string' ? getCache(ref) : ref;
}

/**
 * Turns caching off process-wide: wrapped functions call straight through (tests, debugging).
 *
 * @example
 * ```ts
 * disableCaching();
 * ```
 */
export function disableCaching(): void {
  enabled = false;
}

/**
 * Turns caching back on after {@link disableCaching}.
 *
 * @example
 * ```ts
 * enableCaching();
 * ```
 */
export function enableCaching(): void {
  enabled = true;
}

/**
 * Whether caching is on process-wide.
 *
 * @example
 * ```ts
 * if (!isCachingEnabled()) console.log('cache bypassed');
 * ```
 */
export function isCachingEnabled(): boolean {
  return enabled;
}
