/**
 * `cache.getOrSet(key, fn, options)`: the call path of `withCache` (single flight, race-free
 * writes, stale serving, locks, nested dependencies) run with a policy whose key is fixed.
 *
 * @packageDocumentation
 */
import { cachedCall } from '../core/cachedCall.js';
import { makePolicy, type Policy } from '../core/policy.js';
import { argTagsOf } from '../tags/tagSources.js';
import { InvalidKeyError } from '../errors.js';
import type { Cache } from '../core/createCache.js';
import type { CacheStats } from '../core/types.js';
import type { GetOrSetOptions } from './types.js';

const NO_OPTIONS: GetOrSetOptions<unknown> = Object.freeze({});
const placeholder = async function getOrSet(): Promise<unknown> {
  return undefined;
};

/** Checked policies, per cache and options object (options are checked once per object). */
const bases = new WeakMap<Cache, WeakMap<object, Policy<[], unknown>>>();

function basePolicy(cache: Cache, options: GetOrSetOptions<unknown>): Policy<[], unknown> {
  let perCache = bases.get(cache);
  if (perCache === undefined) bases.set(cache, (perCache = new WeakMap()));
  let base = perCache.get(options);
  if (base === undefined) {
    const checked = makePolicy(placeholder, { ...options, cache, name: 'getOrSet' });
    // A hand key belongs to no function: no `@fn:` tag, only the tags given.
    base = { ...checked, argTags: argTagsOf(options.tags) };
    perCache.set(options, base);
  }
  return base;
}

/**
 * Checks a key given by hand.
 */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0)
    throw new InvalidKeyError(
      'key',
      `expected a non-empty string, got ${typeof key === 'string' ? '""' : typeof key}`,
    );
}

/**
 * Reads `key`, or computes it with `fn` and caches it under `options`.
 */
export function getOrSet<T>(
  cache: Cache,
  stats: CacheStats,
  key: string,
  fn: () => Promise<T>,
  options: GetOrSetOptions<T> = NO_OPTIONS as GetOrSetOptions<T>,
): Promise<T> {
  try {
    checkKey(key);
    if (typeof fn !== 'function') throw new TypeError('getOrSet: expected the function computing the value');
    // The checked policy as prototype, the call's function and key as own fields (spreading the
    // whole policy per call cost several µs per hit).
    const p = Object.create(basePolicy(cache, options as GetOrSetOptions<unknown>)) as {
      fn: unknown;
      fixedKey: string;
    };
    p.fn = fn;
    p.fixedKey = key;
    return cachedCall(p as unknown as Policy<[], unknown>, stats, []) as Promise<T>;
  } catch (e) {
    return Promise.reject(e);
  }
}
