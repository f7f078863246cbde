import { InvalidOptionsError } from '../errors.js';
import type { Policy } from './policy.js';
import type { Runtime } from './runtime.js';

/** Which function holds a name in one cache, and where it was wrapped. */
export interface NameClaim {
  readonly fn: (...args: never[]) => unknown;
  readonly site: string;
  readonly shareEntries: boolean;
}

/** Re-wrapping the same function (the same object, or the same source: hot reload, a re-imported module). */
const sameFunction = (a: NameClaim['fn'], b: NameClaim['fn']): boolean => a === b || String(a) === String(b);

/**
 * Claims the policy's name in `runtime`'s cache, once per cache: two different functions under
 * one name would share entries, so that throws InvalidOptionsError naming the name and both wrap
 * sites, unless both say `shareEntries: true`. Hand-keyed calls (`getOrSet`) claim nothing.
 */
export function claimName<A extends unknown[], R>(policy: Policy<A, R>, runtime: Runtime): void {
  // A key given by hand (`cache.getOrSet`) belongs to no function: nothing to share by accident.
  if (policy.fixedKey !== undefined) {
    policy.claim.owner = runtime;
    return;
  }
  const mine: NameClaim = {
    fn: policy.fn as NameClaim['fn'],
    site: policy.site,
    shareEntries: policy.shareEntries,
  };
  const held = runtime.names.get(policy.name);
  if (held !== undefined && !sameFunction(held.fn, mine.fn) && !(held.shareEntries && mine.shareEntries))
    throw new InvalidOptionsError(
      'name',
      `"${policy.name}" already names a different function in cache "${runtime.name}" (wrapped at ${held.site}); ` +
        `this one is wrapped at ${mine.site}. Functions under one name share entries: give one its own \`name\`, ` +
        'or pass `shareEntries: true` to both if they are meant to share them',
    );
  if (held === undefined || !held.shareEntries || sameFunction(held.fn, mine.fn))
    runtime.names.set(policy.name, mine);
  policy.claim.owner = runtime;
}
