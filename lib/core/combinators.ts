import { withCache } from './withCache.js';
import { definitionOf, type CacheOptions, type Cached } from './types.js';
import type { Duration } from './duration.js';
import type { EntityExtractor } from '../entities/entity.js';
import { entityList } from '../entities/entityList.js';
import {
  mergeResultTagSources,
  mergeTagSources,
  type ResultTagSource,
  type TagList,
  type TagSource,
} from '../tags/tagSources.js';

/** A new cached function of the same function, with the options `patch` makes of the old ones. */
function extend<A extends unknown[], R>(
  cached: Cached<A, R>,
  patch: (options: CacheOptions<A, R>) => CacheOptions<A, R>,
): Cached<A, R> {
  const definition = cached[definitionOf];
  return withCache(definition.fn, patch(definition.options));
}

/**
 * Adds tags (static, or from the arguments) to a cached function; keys are unchanged.
 *
 * @example
 * ```ts
 * const getPosts = pipe(repo.getPosts, withCache({ name: 'posts' }), withTags((userId: number) => [`user:${userId}`]));
 * ```
 */
export function withTags(
  source: TagList | (() => TagList),
): <A extends unknown[], R>(cached: Cached<A, R>) => Cached<A, R>;
export function withTags<A extends unknown[]>(
  source: (...args: A) => TagList,
): <A2 extends A, R>(cached: Cached<A2, R>) => Cached<A2, R>;
export function withTags<A extends unknown[]>(
  source: TagSource<A>,
): <A2 extends A, R>(cached: Cached<A2, R>) => Cached<A2, R> {
  return <A2 extends A, R>(cached: Cached<A2, R>) =>
    extend(cached, (options) => ({
      ...options,
      tags: mergeTagSources<A2>(options.tags, source as TagSource<A2>),
    }));
}

/**
 * Adds tags computed from the result (and the arguments).
 *
 * @example
 * ```ts
 * const getPost = pipe(fetchPost, withCache({ name: 'post' }), withResultTags((p: Post) => [`author:${p.authorId}`]));
 * ```
 */
export function withResultTags<R>(
  fn: (value: R) => TagList,
): <A extends unknown[]>(cached: Cached<A, R>) => Cached<A, R>;
export function withResultTags<R, A extends unknown[]>(
  fn: (value: R, ...args: A) => TagList,
): <A2 extends A>(cached: Cached<A2, R>) => Cached<A2, R>;
export function withResultTags<R, A extends unknown[]>(
  fn: (value: R, ...args: A) => TagList,
): <A2 extends A>(cached: Cached<A2, R>) => Cached<A2, R> {
  return <A2 extends A>(cached: Cached<A2, R>) =>
    extend(cached, (options) => ({
      ...options,
      resultTags: mergeResultTagSources<R, A2>(
        options.resultTags as ResultTagSource<R, A2> | undefined,
        fn as (value: R, ...args: A2) => TagList,
      ) as (this: unknown, value: R, ...args: A2) => TagList,
    }));
}

/**
 * Adds entity extractors: entities found in the result become `type:id` tags.
 *
 * @example
 * ```ts
 * const getPosts = pipe(fetchPosts, withCache({ name: 'posts' }), withEntities(entity('post'), entity('user', { path: 'author' })));
 * ```
 */
export function withEntities(
  ...extractors: EntityExtractor[]
): <A extends unknown[], R>(cached: Cached<A, R>) => Cached<A, R> {
  return (cached) =>
    extend(cached, (options) => ({ ...options, entities: [...entityList(options.entities), ...extractors] }));
}

/**
 * Sets the TTL (static or from the value).
 *
 * @example
 * ```ts
 * const getRates = pipe(fetchRates, withCache({ name: 'rates' }), withTtl('30s'));
 * ```
 */
export function withTtl(ttl: Duration): <A extends unknown[], R>(cached: Cached<A, R>) => Cached<A, R>;
export function withTtl<R>(
  ttl: (value: R) => Duration,
): <A extends unknown[]>(cached: Cached<A, R>) => Cached<A, R>;
export function withTtl<R>(
  ttl: Duration | ((value: R) => Duration),
): <A extends unknown[]>(cached: Cached<A, R>) => Cached<A, R> {
  return (cached) => extend(cached, (options) => ({ ...options, ttl }));
}

/**
 * Sets the key material (the name stays the key scope).
 *
 * @example
 * ```ts
 * const search = pipe(runSearch, withCache({ name: 'search' }), withKey((q: { text: string; page: number }) => [q.text.toLowerCase(), q.page]));
 * ```
 */
export function withKey<A extends unknown[]>(
  key: (...args: A) => unknown,
): <A2 extends A, R>(cached: Cached<A2, R>) => Cached<A2, R> {
  return (cached) => extend(cached, (options) => ({ ...options, key }));
}
