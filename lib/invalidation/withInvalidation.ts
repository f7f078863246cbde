import { invalidateTags, type InvalidateOptions } from './invalidate.js';
import type { EntityExtractor } from '../entities/entity.js';
import { InvalidOptionsError } from '../errors.js';
import { parseOptions } from '../options/parseOptions.js';
import { invalidationOptionsSchema } from '../options/writeSideSchemas.js';
import { argTagsOf, valueTagsOf, type TagList } from '../tags/tagSources.js';
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
export interface InvalidationOptions<A extends unknown[], R, This = unknown>
  extends Pick<InvalidateOptions, 'cache' | 'mode'>, EvictOptions<A, R> {
  /** Tags to invalidate: static, or from the arguments (with the write's `this`). */
  readonly tags?: TagList | ((this: This, ...args: A) => TagList);
  /** Tags to invalidate from the write's result (after the write resolves). */
  readonly resultTags?: (this: This, result: R, ...args: A) => TagList;
  /** Entities in the result to invalidate (after the write resolves). */
  readonly entities?: EntityExtractor | readonly EntityExtractor[];
  /**
   * `after` (default): invalidate after the write resolves. `before`: invalidate before it runs
   * *and* again after it resolves (a delayed double delete: a read during the write may have
   * cached the old value).
   */
  readonly when?: 'after' | 'before';
  /** Cached reads to call again after the invalidation, so the next reader finds them warm. */
  readonly recache?: ReadonlyArray<Recache<R, A>>;
}

/**
 * Wraps a write so that it invalidates what it changes: after it resolves (with `when: 'before'`,
 * also before it runs), then optionally re-warms cached reads. A write that throws invalidates
 * nothing after it.
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
  return invalidating(fn, options);
}

/** {@link withInvalidation}, keeping the `this` type of `fn` (internal; `@invalidates`). */
export function invalidating<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => Promise<R>,
  options: InvalidationOptions<A, R, This>,
): (this: This, ...args: A) => Promise<R> {
  if (typeof fn !== 'function') throw new TypeError('withInvalidation: expected the write function');
  if (options === undefined || options === null)
    throw new InvalidOptionsError('withInvalidation', 'expected an options object ({ tags, … })');
  parseOptions(invalidationOptionsSchema, options, 'withInvalidation');
  const when = options.when ?? 'after';
  const argTags = argTagsOf(options.tags);
  const resultTags = valueTagsOf(options.resultTags, options.entities);
  const target: InvalidateOptions = {
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  };
  // A `function`, not an arrow: the caller's `this` reaches `fn` and the tag functions.
  const wrapped = async function (this: This, ...args: A): Promise<R> {
    // 'before' is a delayed double delete: a read that ran during the write may have cached the
    // old value again, so the tags are invalidated once more once the write resolved.
    if (when === 'before')
      await Promise.all([
        invalidateTags(argTags(args, this), target),
        evictKeys(options, options.cache, args, undefined),
      ]);
    const result = await fn.apply(this as This, args);
    const tags = invalidateTags(
      [...argTags(args, this), ...(resultTags?.(result, args, this) ?? [])],
      target,
    );
    await Promise.all([tags, evictKeys(options, options.cache, args, { value: result })]);
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
