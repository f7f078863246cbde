import { currentComputation, propagate } from './context.js';
import { compute, startFlight, writeEntry, type CallContext } from './compute.js';
import { keyFor, runtimeFor, settle } from './execute.js';
import { toMs } from './duration.js';
import { decodePayload } from './payload.js';
import { FAILED } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';

function context<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, args: A): CallContext<A, R> | undefined {
  const rt = runtimeFor(p);
  return rt === undefined ? undefined : { p, rt, stats, key: keyFor(p, rt, args), args };
}

/**
 * `peek`: reads the entry for `args` without calling the function (fresh values only, or stale
 * ones inside the stale-while-revalidate window).
 *
 * @example
 * ```ts
 * const cachedUser = await getUser.peek(1); // undefined when not cached
 * ```
 */
export async function peekEntry<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, args: A): Promise<R | undefined> {
  const c = context(p, stats, args);
  if (c === undefined) return undefined;
  const r = await c.rt.guard.get(c.rt.store, c.rt.ns, c.key, p.timeout);
  if (r === FAILED || !r.hit || r.error) return undefined;
  if (r.state !== 'fresh' && !(p.swr > 0 && (r.state === 'invalidated' || -r.ttl <= p.swr))) return undefined;
  try {
    const value = decodePayload(c.rt, r.payload, false, p.errorClasses) as R;
    propagate(currentComputation(), r.tags, r.state === 'fresh' ? r.ttl : 0);
    return value;
  } catch {
    return undefined;
  }
}

/**
 * `set`: writes `value` as the entry for `args`, with the tags and TTL the policy gives it.
 *
 * @example
 * ```ts
 * await getUser.set({ id: 1, name: 'Ada' }, 1);
 * ```
 */
export async function setEntry<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, value: R, args: A): Promise<void> {
  const c = context(p, stats, args);
  if (c === undefined) return;
  const tags = new Set(p.argTags(args));
  if (p.valueTags !== undefined) for (const t of p.valueTags(value, args)) tags.add(t);
  const ttl = p.ttl === undefined ? c.rt.ttl : typeof p.ttl === 'number' ? p.ttl : toMs(p.ttl(value), 'ttl');
  if (ttl > 0) await writeEntry(c, value, false, [...tags], ttl, undefined);
}

/**
 * `invalidate`: drops the entry for `args`; calls already running for it will not write.
 *
 * @example
 * ```ts
 * await getUser.invalidate(1);
 * ```
 */
export async function invalidateEntry<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, args: A): Promise<void> {
  const c = context(p, stats, args);
  if (c === undefined) return;
  const { rt, key } = c;
  await rt.guard.strict('delete', () => rt.store.delete(rt.ns, [key]));
  rt.trace?.({ type: 'delete', cache: rt.name, keys: [key] });
}

/**
 * `refresh`: calls the function and overwrites the entry (race-free: an invalidation during the
 * call still wins). Concurrent calls of the same key join it.
 *
 * @example
 * ```ts
 * const fresh = await getUser.refresh(1);
 * ```
 */
export async function refreshEntry<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, args: A): Promise<R> {
  const c = context(p, stats, args);
  if (c === undefined) return p.fn(...args);
  const parent = currentComputation();
  const r = await c.rt.guard.get(c.rt.store, c.rt.ns, c.key, p.timeout);
  return settle(await startFlight(c, r === FAILED ? undefined : r.epoch, compute), parent);
}
