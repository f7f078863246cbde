/**
 * `peekEntry` and `invalidateAll` of a wrapped function.
 *
 * @packageDocumentation
 */
import { keyFor, runtimeFor } from '../core/call.js';
import { functionTag } from '../tags/tagSources.js';
import type { Policy } from '../core/policy.js';
import { resolveCache } from '../core/defaults.js';
import { readEntry } from './readEntry.js';
import type { EntryInfo } from '../core/types.js';

/**
 * `peekEntry`: the fresh entry for `args` with its metadata, without calling the function;
 * `undefined` for a miss, so a cached `undefined` shows as `{ value: undefined, … }`.
 */
export async function peekEntryInfo<A extends unknown[], R>(
  p: Policy<A, R>,
  args: A,
  self?: unknown,
): Promise<EntryInfo<R> | undefined> {
  const rt = runtimeFor(p);
  if (rt === undefined) return undefined;
  return readEntry<R>(rt, keyFor(p, rt, args, self), p.timeout, p.errorClasses);
}

/**
 * `invalidateAll`: invalidates every entry of the function, through the tag each of them carries
 * (`@fn:<name>`), so in O(1) store commands whatever their number; entries of other cached
 * functions that depended on them (nested calls) go too.
 */
export async function invalidateAllOf<A extends unknown[], R>(p: Policy<A, R>): Promise<void> {
  await resolveCache(p.cache).invalidateTags([functionTag(p.name)]);
}
