import { withCache } from '../core/withCache.js';
import { entityTag } from '../entities/entity.js';
import { invalidateTags } from './invalidate.js';
import { withInvalidation, type InvalidationOptions } from './withInvalidation.js';
import type { Cache } from '../core/createCache.js';
import type { CacheOptions, Cached } from '../core/types.js';
import { mergeTagSources } from '../tags/tagSources.js';
import { parseOptions } from '../options/parseOptions.js';
import { resourceOptionsSchema } from '../options/writeSideSchemas.js';

/**
 * A read/write pair around one entity type, keyed by an id taken from the first argument.
 *
 * @example
 * ```ts
 * const user = resource('user', { id: 'userId' });
 * const getProfile = user.read(async function getProfile({ userId }: { userId: number }) { return db.profile(userId); });
 * const updateProfile = user.write(async ({ userId, data }: { userId: number; data: object }) => db.saveProfile(userId, data));
 * ```
 */
export interface Resource {
  readonly type: string;
  /** The tag of one entity of this resource: `${type}:${id}`. */
  tag(id: unknown): string;
  /** Caches `fn`, tagging each entry `${type}:${id}`. */
  read<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options?: CacheOptions<A, R>): Cached<A, R>;
  /** Wraps a write that invalidates `${type}:${id}` after it succeeds. */
  write<A extends unknown[], R>(
    fn: (...args: A) => Promise<R>,
    options?: InvalidationOptions<A, R>,
  ): (...args: A) => Promise<R>;
  /** Invalidates one entity of this resource. */
  invalidate(id: unknown): Promise<void>;
}

/**
 * Declares a resource: `read` caches and tags `${type}:${id}` (the id is the `id` field of the
 * first argument, or the first argument itself when it is a primitive); `write` invalidates it.
 *
 * @example
 * ```ts
 * const post = resource('post', { id: 'postId' });
 * const getPost = post.read(async function getPost({ postId }: { postId: number }) { return db.posts.find(postId); });
 * const editPost = post.write(async ({ postId, title }: { postId: number; title: string }) => db.posts.update(postId, { title }));
 * ```
 */
export function resource(
  type: string,
  opts: { readonly id?: string; readonly cache?: Cache | string } = {},
): Resource {
  if (typeof type !== 'string' || type.length === 0)
    throw new TypeError('resource: type must be a non-empty string');
  parseOptions(resourceOptionsSchema, opts, 'resource');
  const field = opts.id ?? 'id';
  const idOf = (args: readonly unknown[]): unknown => {
    const first = args[0];
    const id =
      typeof first === 'object' && first !== null ? (first as Record<string, unknown>)[field] : first;
    if (id === undefined || id === null)
      throw new TypeError(`resource '${type}': the first argument has no "${field}"`);
    return id;
  };
  const tagOf = (...args: unknown[]): string[] => [entityTag(type, idOf(args))];
  const cacheOpt = opts.cache === undefined ? {} : { cache: opts.cache };
  return Object.freeze({
    type,
    tag: (id: unknown) => entityTag(type, id),
    read<A extends unknown[], R>(
      fn: (...args: A) => Promise<R>,
      options: CacheOptions<A, R> = {},
    ): Cached<A, R> {
      const tags = mergeTagSources<A>(tagOf, options.tags);
      return withCache(fn, {
        ...cacheOpt,
        ...options,
        name: options.name ?? (fn.name ? `${type}.${fn.name}` : ''),
        tags,
      });
    },
    write<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options: InvalidationOptions<A, R> = {}) {
      return withInvalidation(fn, { ...cacheOpt, ...options, tags: mergeTagSources<A>(tagOf, options.tags) });
    },
    invalidate: async (id: unknown) => invalidateTags([entityTag(type, id)], cacheOpt),
  });
}
