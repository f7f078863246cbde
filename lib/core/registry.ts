import { InvalidOptionsError, UnknownCacheError } from '../errors.js';
import type { Cache } from './createCache.js';

const registry = new Map<string, Cache>();

/**
 * Throws InvalidOptionsError when `name` is already registered (internal; `createCache` calls it
 * before it builds anything).
 */
export function assertNameFree(name: string): void {
  if (registry.has(name))
    throw new InvalidOptionsError(
      'name',
      `a cache named "${name}" is already registered; use getCache("${name}") or getOrCreateCache("${name}", config), or close() it first`,
    );
}

/**
 * Registers `cache` under its name (internal; `createCache({ name })` calls it). Throws when the
 * name is taken, unless `replaces` (`configure` replacing the default).
 */
export function register(cache: Cache, replaces: boolean): void {
  if (!replaces) assertNameFree(cache.name);
  registry.set(cache.name, cache);
}

/**
 * Frees the name of `cache` if it is still the one registered under it (internal; `close()`).
 */
export function unregister(cache: Cache): void {
  if (registry.get(cache.name) === cache) registry.delete(cache.name);
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
