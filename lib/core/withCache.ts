import { existingCache } from './defaults.js';
import { claimName } from './nameClaims.js';
import { runtimeOf } from './runtime.js';
import { cachedCall } from './cachedCall.js';
import { cachedHelpers } from './cachedHelpers.js';
import { makePolicy } from './policy.js';
import { definitionOf, type CacheOptions, type Cached } from './types.js';
import { newStats } from '../events/CacheStats.js';

/**
 * Options of the data-last form, where the function's types are not known yet: annotate the
 * parameters of callbacks, or use the combinators (`withTags`, `withTtl`, …) after it.
 *
 * @example
 * ```ts
 * const opts: LooseCacheOptions = { ttl: '1m', tags: ['posts'] };
 * ```
 */
export type LooseCacheOptions = CacheOptions<never, never>;

function wrap<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options: CacheOptions<A, R>,
): Cached<A, R> {
  const policy = makePolicy(fn, options);
  // A name already held by a different function throws now when the cache exists (else at the
  // first call, when it does).
  const existing = existingCache(policy.cache);
  if (existing !== undefined) claimName(policy, existing[runtimeOf]);
  const stats = newStats();
  // A `function`, not an arrow: the caller's `this` reaches `fn` (`obj.method(1)` sees `obj`).
  const cached = function (this: unknown, ...args: A): Promise<R> {
    return cachedCall(policy, stats, args, this);
  };
  const methods = {
    ...cachedHelpers(policy, stats, undefined),
    [definitionOf]: Object.freeze({ fn, options }),
  };
  Object.defineProperty(cached, 'name', { value: policy.name });
  return Object.freeze(Object.assign(cached, methods));
}

/**
 * Caches an async function. Data-first: `withCache(fn, options)`; data-last (pipe-friendly):
 * `withCache(options)(fn)`.
 *
 * @example
 * ```ts
 * import { withCache } from 'tagcache';
 * const getUser = withCache(async function getUser(id: number) { return db.users.find(id); }, {
 *   ttl: '5m',
 *   tags: (id) => [`user:${id}`],
 * });
 * const user = await getUser(1); // runs the query once; later calls hit the cache
 * ```
 */
export function withCache<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options?: CacheOptions<A, R>,
): Cached<A, R>;
export function withCache(
  options?: LooseCacheOptions,
): <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => Cached<A, R>;
export function withCache<A extends unknown[], R>(
  fnOrOptions?: ((...args: A) => Promise<R>) | LooseCacheOptions,
  options: CacheOptions<A, R> = {},
): Cached<A, R> | (<A2 extends unknown[], R2>(fn: (...args: A2) => Promise<R2>) => Cached<A2, R2>) {
  if (typeof fnOrOptions === 'function') return wrap(fnOrOptions, options);
  const loose = (fnOrOptions ?? {}) as CacheOptions<unknown[], unknown>;
  // Bad options throw now, at wrap time, not when the function arrives (the name is checked then).
  makePolicy(async function check() {}, { ...loose, name: loose.name ?? 'check' });
  return <A2 extends unknown[], R2>(fn: (...args: A2) => Promise<R2>) =>
    wrap(fn, loose as unknown as CacheOptions<A2, R2>);
}
