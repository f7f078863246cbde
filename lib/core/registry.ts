import { UnknownCacheError } from '../errors.js';
import type { Cache } from './createCache.js';

const registry = new Map<string, Cache>();

/**
 * Registers `cache` under its name (internal; `createCache({ name })` calls it).
 */
export function register(cache: Cache): void {
  registry.set(cache.name, cache);
}

/**
 * The cache registered under `name` by `createCache({ name })`.
 *
 * @example
 * ```ts
 * createCache({ name: 'users' });
 * const users = getCache('users');
 * ```
 */
export function getCache(name: string): Cache {
  const cache = registry.get(name);
  if (cache === undefined) throw new UnknownCacheError(name, [...registry.keys()]);
  return cache;
}

/** The cache registered under `name`, or undefined (internal). */
export function findCache(name: string): Cache | undefined {
  return registry.get(name);
}
