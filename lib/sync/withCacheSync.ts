import { recordDelete, startTimer } from '../events/record.js';
import { keyFor, openCall, runtimeFor } from '../core/call.js';
import { currentComputation, propagate } from '../core/context.js';
import { resolveCache } from '../core/defaults.js';
import { policyTtl } from '../core/entryRules.js';
import { decodePayload, encodePayload } from '../core/payload.js';
import { makePolicy, type Policy } from '../core/policy.js';
import { FAILED } from '../core/storeGuard.js';
import { newStats } from '../events/CacheStats.js';
import { InvalidOptionsError, StoreError } from '../errors.js';
import { computeSync, syncCall, syncReply } from './syncCall.js';
import type { Cache } from '../core/createCache.js';
import type { CacheOptions, CacheStats } from '../core/types.js';
import type { Store } from '../stores/Store.js';

/**
 * Options of {@link withCacheSync}: those of `withCache` that need no background work
 * (`lock`, `staleWhileRevalidate` and `refreshAhead` are refused).
 *
 * @example
 * ```ts
 * const opts: SyncCacheOptions<[id: number], string> = { ttl: '1m', tags: (id) => [`user:${id}`] };
 * ```
 */
export type SyncCacheOptions<A extends unknown[], R> = Omit<
  CacheOptions<A, R>,
  'lock' | 'staleWhileRevalidate' | 'refreshAhead'
>;

/**
 * A synchronous cached function and its helpers: `withCache`'s, returning values, not promises.
 *
 * @example
 * ```ts
 * const slug = withCacheSync(function slug(title: string) { return title.toLowerCase(); });
 * slug('Hello'); // 'hello', a string (not a Promise)
 * slug.invalidate('Hello');
 * ```
 */
export interface SyncCached<A extends unknown[], R> {
  (...args: A): R;
  /** Reads the entry without calling the function. */
  peek(...args: A): R | undefined;
  /** Writes `value` as the entry for `args`. */
  set(value: R, ...args: A): void;
  /** Drops the entry for `args`. */
  invalidate(...args: A): void;
  /** Calls the function and overwrites the entry. */
  refresh(...args: A): R;
  /** Calls the function, touching nothing. */
  uncached(...args: A): R;
  /** The entry's key, relative to the cache version (as the key-value API takes it). */
  keyOf(...args: A): string;
  stats(): CacheStats;
}

const SYNC_KINDS = new Set(['memory', 'null']);
const REFUSED = ['lock', 'staleWhileRevalidate', 'refreshAhead'] as const;

/** Whether `store` answers synchronously: memory, null, or a store declaring `synchronous: true`. */
export function isSynchronousStore(store: Store): boolean {
  return SYNC_KINDS.has(store.kind) || (store as { readonly synchronous?: unknown }).synchronous === true;
}

function checkSyncOptions(fn: unknown, options: Record<string, unknown>): Cache {
  for (const option of REFUSED)
    if (options[option] !== undefined)
      throw new InvalidOptionsError(
        option,
        'not supported by withCacheSync (it needs background work); use withCache',
      );
  if (typeof fn === 'function' && fn.constructor.name === 'AsyncFunction')
    throw new InvalidOptionsError(
      'fn',
      'withCacheSync caches synchronous functions; use withCache for an async one',
    );
  const cache = resolveCache(options['cache'] as Cache | string | undefined);
  if (!isSynchronousStore(cache.store))
    throw new InvalidOptionsError(
      'cache',
      `withCacheSync needs an in-process store that answers synchronously (memoryStore, nullStore); the cache "${cache.name}" is on a ${cache.store.kind} store, whose operations are asynchronous: use withCache`,
    );
  return cache;
}

function peekSync<A extends unknown[], R>(policy: Policy<A, R>, stats: CacheStats, args: A): R | undefined {
  const call = openCall(policy, stats, args);
  if (call === undefined) return undefined;
  const { runtime, key } = call;
  const read = syncReply(runtime, runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout));
  if (read === FAILED || !read.hit || read.error) return undefined;
  if (read.state !== 'fresh') return undefined;
  try {
    const value = decodePayload(runtime, read.payload, false, policy.errorClasses, read.slot) as R;
    propagate(currentComputation(), read.tags, read.ttl);
    return value;
  } catch {
    return undefined;
  }
}

function setSync<A extends unknown[], R>(policy: Policy<A, R>, stats: CacheStats, value: R, args: A): void {
  const call = openCall(policy, stats, args);
  if (call === undefined) return;
  const { runtime, key } = call;
  const tags = new Set(policy.argTags(args));
  if (policy.valueTags !== undefined) for (const t of policy.valueTags(value, args)) tags.add(t);
  const ttl = policyTtl(policy, runtime, value);
  if (ttl <= 0) return;
  const entry = {
    payload: encodePayload(runtime, value, false),
    tags: [...tags],
    createdAt: Date.now(),
    ttl,
    grace: policy.grace,
    error: false,
  };
  if (
    syncReply(
      runtime,
      runtime.guard.run('set', key, () => runtime.store.set(runtime.namespace, key, entry)),
    ) !== FAILED
  )
    stats.writes += 1;
}

function invalidateSync<A extends unknown[], R>(policy: Policy<A, R>, stats: CacheStats, args: A): void {
  const call = openCall(policy, stats, args);
  if (call === undefined) return;
  const { runtime, key } = call;
  const t0 = startTimer(runtime.events);
  const done = syncReply(
    runtime,
    runtime.guard.run('delete', key, () => runtime.store.delete(runtime.namespace, [key])),
  );
  if (done === FAILED) throw new StoreError('ERR_STORE', `store delete failed for ${key}`);
  recordDelete(runtime.events, [key], policy.name, t0);
}

function refreshSync<A extends unknown[], R>(policy: Policy<A, R>, stats: CacheStats, args: A): R {
  const call = openCall(policy, stats, args);
  if (call === undefined) return policy.fn.apply(undefined, args) as unknown as R;
  const { runtime, key } = call;
  const read = syncReply(runtime, runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout));
  return computeSync(call, read === FAILED ? undefined : read.epoch, currentComputation());
}

/**
 * Caches a synchronous function on an in-process store (memory; `null`): calls return values,
 * not promises, with tags, `addTags`, `setTtl`, invalidation and nested dependencies collected
 * as with `withCache` (a sync cached call inside an async cached function counts as a
 * dependency of the outer entry, and the other way round). A cache on a remote store (Redis,
 * file, tiered) is refused here, at wrap time, with InvalidOptionsError; so are async functions.
 *
 * @example
 * ```ts
 * import { withCacheSync, invalidateTag } from 'tagcache';
 * const priceOf = withCacheSync(function priceOf(sku: string) { return sku.length * 100; }, {
 *   ttl: '1m',
 *   tags: (sku) => [`sku:${sku}`],
 * });
 * const price: number = priceOf('abc'); // 300, computed once
 * await invalidateTag('sku:abc'); // the next call computes again
 * ```
 */
export function withCacheSync<A extends unknown[], R>(
  fn: (...args: A) => R,
  options: SyncCacheOptions<A, R> = {},
): SyncCached<A, R> {
  checkSyncOptions(fn, options as Record<string, unknown>);
  const policy = makePolicy(fn as unknown as (...args: A) => Promise<R>, options as CacheOptions<A, R>);
  const stats = newStats();
  const cached = function (this: unknown, ...args: A): R {
    return syncCall(policy, stats, args, this);
  };
  const helpers = {
    peek: (...args: A) => peekSync(policy, stats, args),
    set: (value: R, ...args: A) => setSync(policy, stats, value, args),
    invalidate: (...args: A) => invalidateSync(policy, stats, args),
    refresh: (...args: A) => refreshSync(policy, stats, args),
    uncached: (...args: A) => fn(...args),
    keyOf: (...args: A) => {
      const runtime = runtimeFor(policy);
      return runtime === undefined
        ? policy.name + ':' + policy.material(args, undefined)
        : keyFor(policy, runtime, args).slice(runtime.keyPrefix.length);
    },
    stats: (): CacheStats => ({ ...stats }),
  };
  Object.defineProperty(cached, 'name', { value: policy.name });
  return Object.freeze(Object.assign(cached, helpers));
}
