import { decoratorCall, type AsyncMethodDecorator, legacyOwner, memberName } from './decoratorForm.js';
import { callDecorated, methodStateOf, newMethodState, type MethodState } from './methodState.js';
import type { CacheOptions } from '../core/types.js';

/**
 * The decorator `@cached(…)` returns: a method decorator in both the TC39 form (TypeScript 5+,
 * no flag) and the legacy `experimentalDecorators` one (NestJS). The method keeps its type.
 *
 * @example
 * ```ts
 * const decorate: CachedMethodDecorator<unknown, [id: number], unknown> = cached({ tags: (id: number) => [`user:${id}`] });
 * ```
 */
export type CachedMethodDecorator<This, A extends unknown[], R> = AsyncMethodDecorator<This, A, R>;

/** The function installed in place of the method. */
function replacementOf<A extends unknown[], R>(
  state: MethodState<A, R>,
): (this: unknown, ...args: A) => Promise<R> {
  const replacement = function (this: unknown, ...args: A): Promise<R> {
    return callDecorated(state, args, this);
  };
  Object.defineProperty(replacement, 'name', { value: state.member });
  Object.defineProperty(replacement, methodStateOf, { value: state });
  state.replacement = replacement;
  return replacement;
}

/**
 * Caches an async method, like `withCache` (same options; `key`, `tags` and `resultTags` see
 * the instance as `this`). Entries are per instance: the instance's `[cacheKey]()`, else its
 * `id`, else its `pk` is part of the key (an instance with none is refused with InvalidKeyError
 * unless `key` is given); static methods key by their arguments. The key scope is `name`, else
 * `Class#method` (`Class.method` for static ones). Works as a TC39 decorator and as a legacy
 * (`experimentalDecorators`) one. The helpers (`peek`, `invalidate`, `refresh`, `stats`, …) of a
 * decorated method are reached with `cachedMethod(instance, 'method')`.
 *
 * @example
 * ```ts
 * import { cached, cacheKey } from 'tagcache';
 * class UserRepo {
 *   constructor(readonly tenant: string) {}
 *   [cacheKey]() { return this.tenant; }
 *   @cached({ ttl: '5m', tags: (id: number) => [`user:${id}`] })
 *   async getUser(id: number) { return { id, name: `user ${id}` }; }
 * }
 * ```
 */
export function cached<This = unknown, A extends unknown[] = never[], R = unknown>(
  options: CacheOptions<A, R, This> = {},
): CachedMethodDecorator<This, A, R> {
  const opts = options as CacheOptions<A, R>;
  return function decorate(...args: unknown[]): unknown {
    const call = decoratorCall('@cached', args);
    if (call.form === 'standard') {
      if (call.context.kind !== 'method')
        throw new TypeError(
          `@cached decorates methods (${String(call.context.name)} is a ${call.context.kind}); use @cachedGetter for a getter`,
        );
      const original = call.value as (this: unknown, ...a: A) => Promise<R>;
      const name = memberName(call.context.name);
      return replacementOf(newMethodState(original, opts, name, call.context.static, 'method', undefined));
    }
    const { target, member, descriptor } = call;
    const original = descriptor.value as (this: unknown, ...a: A) => Promise<R>;
    const isStatic = typeof target === 'function';
    const state = newMethodState(original, opts, memberName(member), isStatic, 'method', legacyOwner(target));
    descriptor.value = replacementOf(state);
    return descriptor;
  } as CachedMethodDecorator<This, A, R>;
}
