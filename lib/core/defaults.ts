import { createRegisteredCache, type Cache, type CacheConfig } from './createCache.js';
import { storeForUrl } from './defaultStores.js';
import { findCache, getCache } from './registry.js';
import { environment } from '../config/env.js';

let current: Cache | undefined;
/** Whether the library created the store of `current` (then `configure` closes it when replacing it). */
let storeCreatedHere = false;
let enabled = true;

/**
 * The default cache's configuration from the environment (`TAGCACHE_URL`, `TAGCACHE_ENABLED`,
 * `TAGCACHE_NAMESPACE`, `TAGCACHE_VERSION`, `TAGCACHE_TTL`, `TAGCACHE_DEBUG`, `TAGCACHE_METRICS`;
 * see config/env.ts), read once. `store` only when `withStore` (a configuration that brings its
 * own store does not open the one `TAGCACHE_URL` names).
 */
function environmentConfig(withStore: boolean): CacheConfig {
  const env = environment();
  return {
    ...(withStore ? { store: storeForUrl(env.url) } : {}),
    ...(env.enabled === undefined ? {} : { enabled: env.enabled }),
    ...(env.namespace === undefined ? {} : { namespace: env.namespace }),
    ...(env.version === undefined ? {} : { version: env.version }),
    ...(env.ttl === undefined ? {} : { ttl: env.ttl }),
    ...(env.debug === undefined ? {} : { debug: env.debug }),
    ...(env.metrics === undefined ? {} : { metrics: env.metrics }),
  };
}

/**
 * The process default cache: created on first use, registered as `default`, configured by the
 * environment: the store `TAGCACHE_URL` names (`memory://` when unset), `TAGCACHE_NAMESPACE`,
 * `TAGCACHE_TTL`, … (bad values throw InvalidOptionsError naming the variable).
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
    current = createRegisteredCache({ name: 'default', ...environmentConfig(true) }, true);
    storeCreatedHere = true;
  }
  return current;
}

/**
 * Replaces the process default cache (wrapped functions without a `cache` option use the new one
 * from their next call). Also registered as `default` unless `name` says otherwise. The
 * environment's settings (`TAGCACHE_*`) apply under `config`: what `config` says wins, and
 * `TAGCACHE_URL` is used only when `config` has no `store`. The store of
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
  current = createRegisteredCache(
    { name: 'default', ...environmentConfig(config.store === undefined), ...config },
    true,
  );
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
