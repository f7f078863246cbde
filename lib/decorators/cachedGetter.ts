import { decoratorCall, legacyOwner, memberName } from './decoratorForm.js';
import { callDecorated, methodStateOf, newMethodState, type MethodState } from './methodState.js';
import type { CacheOptions } from '../core/types.js';

/**
 * The decorator `@cachedGetter(…)` returns, in the TC39 and the legacy form; the getter keeps
 * its type.
 *
 * @example
 * ```ts
 * const decorate: CachedGetterDecorator<unknown, unknown> = cachedGetter({ ttl: '1m' });
 * ```
 */
export interface CachedGetterDecorator<This, R> {
  <T extends This, V extends Promise<R>>(
    value: (this: T) => V,
    context: ClassGetterDecoratorContext<T, V>,
  ): (this: T) => V;
  <V extends Promise<R>>(
    target: object,
    member: string | symbol,
    descriptor: TypedPropertyDescriptor<V>,
  ): TypedPropertyDescriptor<V>;
}

const NO_ARGS: [] = [];

function getterOf<R>(state: MethodState<[], R>): (this: unknown) => Promise<R> {
  const get = function (this: unknown): Promise<R> {
    return callDecorated(state, NO_ARGS, this);
  };
  Object.defineProperty(get, methodStateOf, { value: state });
  state.replacement = get;
  return get;
}

/**
 * Caches a getter that returns a promise, per instance, with a TTL, tags and every other
 * `withCache` option (a `cached_property` that expires and can be invalidated): `await
 * repo.stats` computes once per instance (identified by `[cacheKey]()`, `id` or `pk`) until the
 * entry expires or one of its tags is invalidated. TC39 and legacy forms.
 *
 * @example
 * ```ts
 * import { cachedGetter } from 'tagcache';
 * class Team {
 *   constructor(readonly id: number) {}
 *   @cachedGetter({ ttl: '1m', tags: ['teams'] })
 *   get memberCount(): Promise<number> { return Promise.resolve(this.id * 10); }
 * }
 * await new Team(1).memberCount; // 10
 * ```
 */
export function cachedGetter<This = unknown, R = unknown>(
  options: CacheOptions<[], R, This> = {},
): CachedGetterDecorator<This, R> {
  const opts = options as CacheOptions<[], R>;
  return function decorate(...args: unknown[]): unknown {
    const call = decoratorCall('@cachedGetter', args);
    if (call.form === 'standard') {
      if (call.context.kind !== 'getter')
        throw new TypeError(
          `@cachedGetter decorates getters (${String(call.context.name)} is a ${call.context.kind}); use @cached for a method`,
        );
      const original = call.value as (this: unknown) => Promise<R>;
      return getterOf(
        newMethodState(
          original,
          opts,
          memberName(call.context.name),
          call.context.static,
          'getter',
          undefined,
        ),
      );
    }
    const { target, member, descriptor } = call;
    const original = descriptor.get as ((this: unknown) => Promise<R>) | undefined;
    if (original === undefined) throw new TypeError(`@cachedGetter: ${memberName(member)} has no getter`);
    const isStatic = typeof target === 'function';
    descriptor.get = getterOf(
      newMethodState(original, opts, memberName(member), isStatic, 'getter', legacyOwner(target)),
    );
    return descriptor;
  } as CachedGetterDecorator<This, R>;
}
