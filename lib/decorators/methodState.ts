import { cachedCallAt } from '../core/cachedCall.js';
import { keyFor, runtimeFor } from '../core/call.js';
import { repeatInstanceKey } from '../core/instanceKey.js';
import { makePolicy, type Policy } from '../core/policy.js';
import { newStats } from '../events/CacheStats.js';
import type { Runtime } from '../core/runtime.js';
import type { CacheOptions, CacheStats } from '../core/types.js';

/** Marks the replacement of a decorated method or getter and holds its state. */
export const methodStateOf: unique symbol = Symbol('tagcache.method');

/** What a decorated member knows: its options, its counters, and its policy once the class is known. */
export interface MethodState<A extends unknown[], R> {
  readonly member: string;
  readonly isStatic: boolean;
  readonly kind: 'method' | 'getter';
  readonly original: (this: unknown, ...args: A) => Promise<R>;
  readonly options: CacheOptions<A, R>;
  readonly stats: CacheStats;
  /** The declaring class's name: known at once in the legacy form, found at the first call in the TC39 one. */
  owner: string | undefined;
  policy: Policy<A, R> | undefined;
  /** The function installed on the class (method, or getter's `get`). */
  replacement: unknown;
}

/**
 * A new state; the options are checked now (class definition time) with InvalidOptionsError.
 */
export function newMethodState<A extends unknown[], R>(
  original: (this: unknown, ...args: A) => Promise<R>,
  options: CacheOptions<A, R>,
  member: string,
  isStatic: boolean,
  kind: 'method' | 'getter',
  owner: string | undefined,
): MethodState<A, R> {
  if (typeof original !== 'function')
    throw new TypeError(`@cached: ${member} is not a ${kind === 'getter' ? 'getter' : 'method'}`);
  makePolicy(original, { ...options, name: options.name ?? member });
  return {
    member,
    isStatic,
    kind,
    original,
    options,
    stats: newStats(),
    owner,
    policy: undefined,
    replacement: undefined,
  };
}

/** Whether `holder` owns the decorated member (its own property is the replacement). */
function owns(holder: object, state: MethodState<unknown[], unknown>): boolean {
  const d = Object.getOwnPropertyDescriptor(holder, state.member);
  return d !== undefined && (d.value === state.replacement || d.get === state.replacement);
}

/** The name of the class declaring the member, found from a receiver (instance or class). */
function ownerName(state: MethodState<unknown[], unknown>, self: unknown): string {
  let holder: unknown = self;
  while (typeof holder === 'object' || typeof holder === 'function') {
    if (holder === null) break;
    if (owns(holder, state)) {
      const named: unknown = state.isStatic
        ? (holder as { name?: unknown }).name
        : (holder as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof named === 'string' && named !== '' ? named : 'anonymous';
    }
    holder = Object.getPrototypeOf(holder);
  }
  return 'anonymous';
}

/**
 * The policy of a decorated member, built at its first use: the key scope is `name`, else
 * `Class#member` (instance members) or `Class.member` (static ones). Instance members key per
 * instance unless `key` says otherwise.
 */
export function policyOf<A extends unknown[], R>(state: MethodState<A, R>, self: unknown): Policy<A, R> {
  if (state.policy !== undefined) return state.policy;
  const owner = state.owner ?? ownerName(state as unknown as MethodState<unknown[], unknown>, self);
  state.owner = owner;
  const name = state.options.name ?? `${owner}${state.isStatic ? '.' : '#'}${state.member}`;
  state.policy = makePolicy(
    state.original,
    { ...state.options, name },
    {
      perInstance: !state.isStatic && state.options.key === undefined,
    },
  );
  return state.policy;
}

/** The first call of a decorated member: its policy, then the call; a policy that cannot be built rejects it. */
function firstCall<A extends unknown[], R>(state: MethodState<A, R>, args: A, self: unknown): Promise<R> {
  try {
    policyOf(state, self);
  } catch (e) {
    return Promise.reject(e);
  }
  return callDecorated(state, args, self);
}

/**
 * One call of a decorated method or getter on `self`: its policy (built at the first call), then
 * the cached call. A repeat call on the same instance finds its key in the instance's memo here,
 * before the general key path (one call frame less), so that a decorated hit does little more
 * work than a `withCache` one: the instance check (the instance, its `id`, the memo's owner).
 */
export function callDecorated<A extends unknown[], R>(
  state: MethodState<A, R>,
  args: A,
  self: unknown,
): Promise<R> {
  const policy = state.policy;
  if (policy === undefined) return firstCall(state, args, self);
  let runtime: Runtime | undefined;
  let key: string;
  try {
    runtime = runtimeFor(policy);
    if (runtime === undefined) return policy.fn.apply(self, args);
    key = repeatInstanceKey(policy, runtime, args, self) ?? keyFor(policy, runtime, args, self);
  } catch (e) {
    return Promise.reject(e);
  }
  return cachedCallAt(policy, runtime, state.stats, key, args, self);
}
