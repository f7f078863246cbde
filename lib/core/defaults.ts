import { createCache, type Cache, type CacheConfig } from './createCache.js';
import { environmentStore } from './defaultStores.js';
import { getCache } from './registry.js';

let current: Cache | undefined;
let enabled = true;

/**
 * The process default cache: created on first use, on the store `TAGCACHE_URL` names
 * (`memory://` when unset), registered as `default`.
 *
 * @example
 * ```ts
 * const cache = defaultCache();
 * ```
 */
export function defaultCache(): Cache {
  if (current === undefined) current = createCache({ name: 'default', store: environmentStore() });
  return current;
}

/**
 * Replaces the process default cache (wrapped functions without a `cache` option use the new one
 * from their next call). Also registered as `default` unless `name` says otherwise.
 *
 * @example
 * ```ts
 * configure({ store: redisStore({ url: process.env.REDIS_URL! }), namespace: 'shop', ttl: '10m' });
 * ```
 */
export function configure(config: CacheConfig = {}): Cache {
  current = createCache({ name: 'default', ...config });
  return current;
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
