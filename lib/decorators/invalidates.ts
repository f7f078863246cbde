import { invalidating, type InvalidationOptions } from '../invalidation/withInvalidation.js';
import { decoratorCall, type AsyncMethodDecorator, memberName } from './decoratorForm.js';

/**
 * The decorator `@invalidates(…)` returns, in the TC39 and the legacy form; the method keeps its
 * type.
 *
 * @example
 * ```ts
 * const decorate: InvalidatesDecorator<unknown, [id: number], unknown> = invalidates({ tags: (id: number) => [`user:${id}`] });
 * ```
 */
export type InvalidatesDecorator<This, A extends unknown[], R> = AsyncMethodDecorator<This, A, R>;

/**
 * Makes a write method invalidate what it changes, like `withInvalidation` (same options; `tags`
 * and `resultTags` see the instance as `this`): after it resolves (or before it runs, with
 * `when: 'before'`), then optionally re-warming cached reads. TC39 and legacy forms.
 *
 * @example
 * ```ts
 * import { invalidates } from 'tagcache';
 * class UserRepo {
 *   @invalidates({ tags: (id: number) => [`user:${id}`] })
 *   async rename(id: number, name: string) { return { id, name }; }
 * }
 * ```
 */
export function invalidates<This = unknown, A extends unknown[] = never[], R = unknown>(
  options: InvalidationOptions<A, R, This>,
): InvalidatesDecorator<This, A, R> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('@invalidates needs options: @invalidates({ tags: … })');
  const opts = options as InvalidationOptions<A, R, unknown>;
  return function decorate(...args: unknown[]): unknown {
    const call = decoratorCall('@invalidates', args);
    if (call.form === 'standard') {
      if (call.context.kind !== 'method')
        throw new TypeError(
          `@invalidates decorates methods (${String(call.context.name)} is a ${call.context.kind})`,
        );
      return named(
        invalidating(call.value as (this: unknown, ...a: A) => Promise<R>, opts),
        call.context.name,
      );
    }
    const original = call.descriptor.value as ((this: unknown, ...a: A) => Promise<R>) | undefined;
    if (typeof original !== 'function')
      throw new TypeError(`@invalidates: ${memberName(call.member)} is not a method`);
    call.descriptor.value = named(invalidating(original, opts), call.member);
    return call.descriptor;
  } as InvalidatesDecorator<This, A, R>;
}

function named<F extends object>(fn: F, member: string | symbol): F {
  Object.defineProperty(fn, 'name', { value: memberName(member) });
  return fn;
}
