import { resolveCache } from '../core/defaults.js';
import { entityTag } from '../entities/entity.js';
import type { Cache } from '../core/createCache.js';
import type { InvalidationMode } from '../stores/Store.js';
import { tagsOf, type TagList } from '../tags/tagSources.js';

/**
 * Options of the invalidation functions.
 *
 * @example
 * ```ts
 * const opts: InvalidateOptions = { cache: 'users', mode: 'stale' };
 * ```
 */
export interface InvalidateOptions {
  /** A handle or registered name (or several); default: the process default cache. */
  readonly cache?: Cache | string | ReadonlyArray<Cache | string>;
  /**
   * `drop` (default): entries are gone. `stale`: entries are marked stale and served only by
   * functions with `staleWhileRevalidate`/`staleIfError` while they refresh (Next.js' `'max'`).
   */
  readonly mode?: InvalidationMode;
}

function cachesOf(opts: InvalidateOptions): Cache[] {
  const c = opts.cache;
  if (c === undefined || typeof c === 'string' || !Array.isArray(c))
    return [resolveCache(c as Cache | string | undefined)];
  return (c as ReadonlyArray<Cache | string>).map((x) => resolveCache(x));
}

/**
 * Invalidates every entry carrying one of `tags` (one tag as a string, or an iterable of tags),
 * in every process sharing the store. Resolves
 * once no later call can be served one of those entries, nor the result of a call that was
 * already running. Rejects with a StoreError when the store cannot be reached.
 *
 * @example
 * ```ts
 * await invalidateTags(['user:1', 'feed']);
 * await invalidateTags('user:2'); // one tag, not its characters
 * ```
 */
export async function invalidateTags(tags: TagList, opts: InvalidateOptions = {}): Promise<void> {
  const list = tagsOf(tags, 'invalidateTags');
  const mode = opts.mode ?? 'drop';
  await Promise.all(cachesOf(opts).map((cache) => cache.invalidateTags(list, { mode })));
}

/**
 * Invalidates every entry carrying `tag`.
 *
 * @example
 * ```ts
 * await invalidateTag('user:1');
 * await invalidateTag('posts', { cache: 'blog', mode: 'stale' });
 * ```
 */
export function invalidateTag(tag: string, opts: InvalidateOptions = {}): Promise<void> {
  return invalidateTags(tagsOf(tag, 'invalidateTag'), opts);
}

/**
 * Invalidates every entry whose result contained the entity (see `entity()`), or that was
 * tagged `${type}:${id}`. The id must be a non-empty string, a finite number or a bigint:
 * anything else (`undefined`, an object) rejects with InvalidKeyError instead of invalidating
 * `user:undefined`.
 *
 * @example
 * ```ts
 * await invalidateEntity('user', 42);
 * ```
 */
export async function invalidateEntity(
  type: string,
  id: unknown,
  opts: InvalidateOptions = {},
): Promise<void> {
  return invalidateTags([entityTag(type, id)], opts);
}

/**
 * Removes every entry of the cache's namespace.
 *
 * @example
 * ```ts
 * await clear({ cache: 'users' });
 * ```
 */
export async function clear(opts: Pick<InvalidateOptions, 'cache'> = {}): Promise<void> {
  await Promise.all(cachesOf(opts).map((cache) => cache.clear()));
}
