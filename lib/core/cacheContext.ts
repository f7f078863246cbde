import { currentComputation } from './context.js';
import { resolveCache } from './defaults.js';
import { handleOf } from './handleOf.js';
import { runtimeOf } from './runtime.js';
import type { Cache } from './createCache.js';

/**
 * The cache of the cached computation running now (`withCache`, `withCacheSync` or a decorated
 * method), or `undefined` outside one.
 *
 * @example
 * ```ts
 * import { withCache, currentCache } from 'tagcache';
 * const getReport = withCache(async function getReport(id: number) {
 *   console.log('computing for', currentCache()?.name);
 *   return { id };
 * });
 * ```
 */
export function currentCache(): Cache | undefined {
  const runtime = currentComputation()?.runtime;
  return runtime === undefined ? undefined : handleOf(runtime);
}

/**
 * Adds tags to the nearest enclosing computation of `cache` (a handle or a registered name): a
 * function cached in one cache can make the entry of a caller cached in another depend on
 * something. Does nothing when no computation of `cache` encloses the call (the tags are not
 * added to the current computation of another cache). Like any dependency collected while a
 * function runs, it is recorded when the function runs, not when an inner call is a hit.
 *
 * @example
 * ```ts
 * import { withCache, addTagsTo, createCache } from 'tagcache';
 * const pages = createCache({ name: 'pages' });
 * const getProfile = withCache(async function getProfile(id: number) {
 *   addTagsTo('pages', `profile-page:${id}`); // only the page entry depends on this tag
 *   return { id };
 * });
 * ```
 */
export function addTagsTo(cache: Cache | string, ...tags: string[]): void {
  for (const t of tags)
    if (typeof t !== 'string' || t.length === 0)
      throw new TypeError(`addTagsTo: tags must be non-empty strings, got ${String(t)}`);
  let c = currentComputation();
  if (c === undefined) return;
  const target = resolveCache(cache)[runtimeOf];
  while (c !== undefined && c.runtime !== target) c = c.parent;
  if (c !== undefined) for (const t of tags) c.tags.add(t);
}
