import { invalidateTags, type InvalidateOptions } from './invalidate.js';
import type { EntityExtractor } from '../entities/entity.js';
import { argTagsOf, valueTagsOf } from '../tags/tagSources.js';
import { evictKeys, type EvictOptions } from '../kv/evictKeys.js';
import { afterDeferredInvalidations } from './deferInvalidations.js';

/**
 * A cached read to re-warm after a write: `args` maps the write's result and arguments to the
 * read's arguments.
 *
 * @example
 * ```ts
 * const spec: Recache<User, [id: number, patch: Partial<User>]> = { read: getUser, args: (user) => [user.id] };
 * ```
 */
export interface Recache<R, A extends unknown[]> {
  /** A cached read (any `Cached`); its `refresh` is called with what `args` returns. */
  readonly read: { refresh(...args: never): Promise<unknown> };
  readonly args: (result: R, ...args: A) => readonly unknown[];
}

/**
 * Options of {@link withInvalidation}.
 *
 * @example
 * ```ts
 * const opts: InvalidationOptions<[id: number], void> = { tags: (id) => [`user:${id}`] };
 * ```
 */
export interface InvalidationOptions<A extends unknown[], R>
  extends Pick<InvalidateOptions, 'cache' | 'mode'>,
    EvictOptions<A, R> {
  /** Tags to invalidate: static, or from the arguments. */
  readonly tags?: Iterable<string> | ((...args: A) => Iterable<string>);
  /** Tags to invalidate from the write's result (only with `when: 'after'`). */
  readonly resultTags?: (result: R, ...args: A) => Iterable<string>;
  /** Entities in the result to invalidate (only with `when: 'after'`). */
  readonly entities?: EntityExtractor | readonly EntityExtractor[];
  /** Invalidate after the write succeeds (default) or before it runs. */
  readonly when?: 'after' | 'before';
  /** Cached reads to call again after the invalidation, so the next reader finds them warm. */
  readonly recache?: ReadonlyArray<Recache<R, A>>;
}

/**
 * Wraps a write so that it invalidates what it changes: after it resolves (or before it runs),
 * then optionally re-warms cached reads. A write that throws invalidates nothing after it.
 *
 * @example
 * ```ts
 * const updateUser = withInvalidation(async (id: number, patch: Partial<User>) => db.users.update(id, patch), {
 *   tags: (id) => [entityTag('user', id)],
 *   recache: [{ read: getUser, args: (_user, id) => [id] }],
 * });
 * ```
 */
export function withInvalidation<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options: InvalidationOptions<A, R>,
): (...args: A) => Promise<R> {
  if (typeof fn !== 'function') throw new TypeError('withInvalidation: expected the write function');
  const when = options.when ?? 'after';
  const argTags = argTagsOf(options.tags);
  const resultTags = valueTagsOf(options.resultTags, options.entities);
  const target: InvalidateOptions = {
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  };
  const wrapped = async (...args: A): Promise<R> => {
    if (when === 'before')
      await Promise.all([invalidateTags(argTags(args), target), evictKeys(options, options.cache, args, undefined)]);
    const result = await fn(...args);
    if (when === 'after') {
      const tags = invalidateTags([...argTags(args), ...(resultTags?.(result, args) ?? [])], target);
      await Promise.all([tags, evictKeys(options, options.cache, args, { value: result })]);
    }
    const recache = options.recache;
    if (recache !== undefined) {
      const rewarm = () =>
        Promise.allSettled(
          recache.map((r) =>
            (r.read.refresh as (...a: readonly unknown[]) => Promise<unknown>)(...r.args(result, ...args)),
          ),
        );
      if (!afterDeferredInvalidations(rewarm)) await rewarm();
    }
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}
