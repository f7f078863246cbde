import { cachedCall } from '../core/cachedCall.js';
import { cachedHelpers } from '../core/cachedHelpers.js';
import { definitionOf, type Cached } from '../core/types.js';
import { methodStateOf, policyOf, type MethodState } from './methodState.js';

/**
 * The {@link Cached} view of a member: `Cached<A, R>` for an async method, `Cached<[], R>` for a
 * getter returning `Promise<R>`.
 *
 * @example
 * ```ts
 * type View = CachedMember<(id: number) => Promise<string>>; // Cached<[id: number], string>
 * ```
 */
export type CachedMember<M> = M extends (...args: infer A) => Promise<infer R>
  ? Cached<A, R>
  : M extends Promise<infer R>
    ? Cached<[], R>
    : never;

function stateOf(holder: object, member: PropertyKey): MethodState<unknown[], unknown> | undefined {
  let at: object | null = holder;
  while (at !== null) {
    const d = Object.getOwnPropertyDescriptor(at, member);
    if (d !== undefined) {
      const fn: unknown = d.get ?? d.value;
      if (typeof fn !== 'function') return undefined;
      return (fn as { [methodStateOf]?: MethodState<unknown[], unknown> })[methodStateOf];
    }
    at = Object.getPrototypeOf(at) as object | null;
  }
  return undefined;
}

/**
 * The helpers of a method decorated with `@cached` (or a getter with `@cachedGetter`), for one
 * instance (or, for a static method, the class): `cachedMethod(repo, 'getUser').peek(1)`,
 * `.invalidate(1)`, `.refresh(1)`, `.keyOf(1)`, `.stats()` (counted over every instance), and
 * calling it as the method itself. Throws a TypeError for a member that is not decorated.
 *
 * @example
 * ```ts
 * import { cached, cachedMethod } from 'tagcache';
 * class Repo {
 *   constructor(readonly id: string) {}
 *   @cached() async count(table: string) { return table.length; }
 * }
 * const repo = new Repo('main');
 * await repo.count('users');
 * await cachedMethod(repo, 'count').peek('users'); // 5
 * await cachedMethod(repo, 'count').invalidate('users');
 * ```
 */
export function cachedMethod<T extends object, K extends keyof T>(obj: T, member: K): CachedMember<T[K]> {
  const state = stateOf(obj, member);
  if (state === undefined)
    throw new TypeError(
      `cachedMethod: ${String(member)} is not a method decorated with @cached (nor a getter with @cachedGetter)`,
    );
  const policy = policyOf(state, obj);
  const view = function (...args: unknown[]): Promise<unknown> {
    return cachedCall(policy, state.stats, args, obj);
  };
  const helpers = {
    ...cachedHelpers(policy, state.stats, obj),
    [definitionOf]: Object.freeze({
      fn: (...args: unknown[]) => state.original.apply(obj, args),
      options: state.options,
    }),
  };
  Object.defineProperty(view, 'name', { value: policy.name });
  return Object.freeze(Object.assign(view, helpers)) as unknown as CachedMember<T[K]>;
}
