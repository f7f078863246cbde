import { propagate, type Computation } from './context.js';
import { isCachingEnabled, resolveCache } from './defaults.js';
import { instanceKeyFor } from './instanceKey.js';
import { claimName } from './nameClaims.js';
import { runtimeOf, type Runtime } from './runtime.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';
import type { CallProbe } from '../events/probe.js';

/**
 * One call of a cached function, bundled once per miss or helper call (never on the plain-hit
 * path, which passes the same values as arguments). Built only by {@link callContext}.
 */
export interface CallContext<A extends unknown[], R> {
  readonly policy: Policy<A, R>;
  readonly runtime: Runtime;
  readonly stats: CacheStats;
  readonly key: string;
  readonly args: A;
  /** The caller's `this` (undefined for a plain call). */
  readonly self: unknown;
  /** What an observed call records (outcome, start time); undefined when nobody observes. */
  readonly probe: CallProbe | undefined;
}

/** What one run of the function produced, with what it depended on. */
export type Outcome<R> =
  | { readonly ok: true; readonly value: R; readonly tags: readonly string[]; readonly ttl: number }
  | { readonly ok: false; readonly error: unknown; readonly tags: readonly string[]; readonly ttl: number };

/** Builds the {@link CallContext} of a call. */
export function callContext<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  stats: CacheStats,
  key: string,
  args: A,
  self: unknown,
  probe: CallProbe | undefined = undefined,
): CallContext<A, R> {
  return { policy, runtime, stats, key, args, self, probe };
}

/**
 * The runtime of the policy's cache, or undefined when caching is off. Throws for unknown cache
 * names, and (once per cache) when a different function already holds the policy's name.
 */
export function runtimeFor<A extends unknown[], R>(policy: Policy<A, R>): Runtime | undefined {
  if (!isCachingEnabled()) return undefined;
  const runtime = resolveCache(policy.cache)[runtimeOf];
  if (policy.claim.owner !== runtime) claimName(policy, runtime);
  return runtime.enabled ? runtime : undefined;
}

const KEY_MEMO_MAX = 10_000;
const NO_ARGUMENT = Symbol('no argument');

/**
 * The full key of `args` (called with `this` = `self`) in `runtime`. Throws InvalidKeyError for
 * arguments that cannot form a key.
 */
export function keyFor<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  self?: unknown,
): string {
  if (policy.fixedKey !== undefined) return runtime.keyPrefix + policy.fixedKey;
  if (policy.perInstance) return instanceKeyFor(policy, runtime, args, self);
  if (args.length > 1) return runtime.keyPrefix + policy.name + ':' + policy.material(args, self);
  const arg: unknown = args.length === 0 ? NO_ARGUMENT : args[0];
  const type = typeof arg;
  if (
    (type !== 'string' && type !== 'number' && arg !== NO_ARGUMENT) ||
    (self !== undefined && policy.keyReadsThis)
  )
    return runtime.keyPrefix + policy.name + ':' + policy.material(args, self);
  const memo = policy.keyMemo;
  if (memo.owner !== runtime) {
    memo.owner = runtime;
    memo.keys.clear();
  }
  let key = memo.keys.get(arg);
  if (key === undefined) {
    key = runtime.keyPrefix + policy.name + ':' + policy.material(args, self);
    if (memo.keys.size >= KEY_MEMO_MAX) memo.keys.clear();
    memo.keys.set(arg, key);
  }
  return key;
}

/**
 * The context of a helper call (`peek`, `set`, `invalidate`, `refresh`), or undefined when
 * caching is off. Throws for unknown cache names and arguments that cannot form a key.
 */
export function openCall<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  args: A,
  self?: unknown,
): CallContext<A, R> | undefined {
  const runtime = runtimeFor(policy);
  return runtime === undefined
    ? undefined
    : callContext(policy, runtime, stats, keyFor(policy, runtime, args, self), args, self);
}

/** Hands an outcome to the caller, recording its dependencies in the enclosing computation. */
export function settle<R>(outcome: Outcome<R>, parent: Computation | undefined): R {
  propagate(parent, outcome.tags, outcome.ttl);
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
