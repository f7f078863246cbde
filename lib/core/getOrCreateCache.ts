import { createCache, type Cache, type CacheConfig } from './createCache.js';
import { findCache } from './registry.js';

/**
 * The cache registered under `name`, or a new one created with `config` and registered under
 * `name`. When the name is taken, `config` is ignored: the registered handle is returned as it is.
 *
 * @example
 * ```ts
 * import { getOrCreateCache } from 'tagcache';
 * const users = getOrCreateCache('users', { ttl: '10m' });
 * getOrCreateCache('users', { ttl: '1h' }) === users; // true
 * ```
 */
export function getOrCreateCache(name: string, config: Omit<CacheConfig, 'name'> = {}): Cache {
  return findCache(name) ?? createCache({ ...config, name });
}
