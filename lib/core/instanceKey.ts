import { hashKey, stableKey } from '../keys/index.js';
import { cacheKey } from '../keys/cacheKey.js';
import { instanceIdentity } from '../keys/instanceIdentity.js';
import { rebaseKeyError } from '../keys/rebaseKeyError.js';
import type { InstanceMemo, Policy } from './policy.js';
import type { Runtime } from './runtime.js';

const MEMO_MAX = 1_000;
const NO_ARGUMENT = Symbol('no argument');

function identityMaterial(identity: unknown): string {
  try {
    return hashKey(stableKey([identity]));
  } catch (e) {
    throw rebaseKeyError(e, 'this');
  }
}

function build<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  self: unknown,
  identity: unknown,
): string {
  return `${runtime.keyPrefix}${policy.name}:${identityMaterial(identity)}/${policy.material(args, self)}`;
}

/**
 * The key of a repeat call on the last instance, when its identity is an `id` that has not
 * changed and the call has at most one argument already seen: its memo alone (no allocation, no
 * WeakMap). Undefined otherwise ({@link instanceKeyFor} then does the whole work).
 */
export function repeatInstanceKey<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  self: unknown,
): string | undefined {
  const last = policy.lastInstance;
  const memo = last.memo;
  if (
    memo === undefined ||
    last.instance !== self ||
    !memo.byId ||
    memo.owner !== runtime ||
    args.length > 1 ||
    (self as { readonly id?: unknown }).id !== memo.identity
  )
    return undefined;
  return memo.keys.get(args.length === 0 ? NO_ARGUMENT : args[0]);
}

/**
 * The key of a per-instance method call: `<version>:<name>:<identity of this>/<arguments>`.
 * Calls with at most one string or number argument on an instance whose identity is a string
 * or number reuse the key built the first time (one Map lookup, no allocation; a WeakMap lookup
 * too when the instance is not the one of the previous call), for as long as the identity stays
 * the same. On a repeat call on the same instance whose identity is its `id`, the `id` is read
 * directly (the `[cacheKey]` and `pk` lookups are skipped: an instance's identity source is the
 * one found at its first call).
 */
export function instanceKeyFor<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  self: unknown,
): string {
  return repeatInstanceKey(policy, runtime, args, self) ?? instanceKeyOnce(policy, runtime, args, self);
}

/** {@link instanceKeyFor} beyond its repeat-call shortcut: identity, memo, key. */
function instanceKeyOnce<A extends unknown[], R>(
  policy: Policy<A, R>,
  runtime: Runtime,
  args: A,
  self: unknown,
): string {
  const last = policy.lastInstance;
  const again = last.instance === self ? last.memo : undefined;
  const id = again?.byId === true ? (self as { readonly id?: unknown }).id : undefined;
  const identity = id !== undefined && id !== null ? id : instanceIdentity(self);
  const it = typeof identity;
  if ((it !== 'string' && it !== 'number') || args.length > 1)
    return build(policy, runtime, args, self, identity);
  const arg: unknown = args.length === 0 ? NO_ARGUMENT : args[0];
  const at = typeof arg;
  if (at !== 'string' && at !== 'number' && arg !== NO_ARGUMENT)
    return build(policy, runtime, args, self, identity);
  const instance = self as object;
  let memo = again ?? policy.instanceMemo.get(instance);
  if (memo === undefined || memo.identity !== identity || memo.owner !== runtime) {
    const byId = typeof (instance as { [cacheKey]?: unknown })[cacheKey] !== 'function' && 'id' in instance;
    const fresh: InstanceMemo = { identity, owner: runtime, keys: new Map(), byId };
    policy.instanceMemo.set(instance, fresh);
    memo = fresh;
  }
  if (again !== memo) {
    last.instance = instance;
    last.memo = memo;
  }
  let key = memo.keys.get(arg);
  if (key === undefined) {
    key = build(policy, runtime, args, self, identity);
    if (memo.keys.size >= MEMO_MAX) memo.keys.clear();
    memo.keys.set(arg, key);
  }
  return key;
}
