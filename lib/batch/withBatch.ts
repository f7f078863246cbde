/**
 * `withBatch`: cache a function that loads many ids at once, per id.
 *
 * @packageDocumentation
 */
import { newStats } from '../events/CacheStats.js';
import DataLoader from 'dataloader';
import { currentComputation, propagate } from '../core/context.js';
import { keyFor, runtimeFor } from '../core/call.js';
import { makePolicy } from '../core/policy.js';
import { invalidateAllOf } from '../kv/functionMethods.js';
import { resolveCache } from '../core/defaults.js';
import { loadMany, type BatchFn } from './loadMany.js';
import type { Outcome } from '../core/call.js';
import type { CacheOptions, CacheStats } from '../core/types.js';

/**
 * Options of {@link withBatch}: those of `withCache` that apply to one id, plus `maxBatchSize`.
 *
 * @example
 * ```ts
 * const opts: BatchOptions<number, User> = { name: 'user', ttl: '5m', tags: (id) => [`user:${id}`] };
 * ```
 */
export interface BatchOptions<K, V> extends Pick<
  CacheOptions<[id: K], V | undefined>,
  'cache' | 'name' | 'key' | 'ttl' | 'tags' | 'resultTags' | 'entities' | 'cacheIf' | 'timeout'
> {
  /** Most ids handed to the function in one call (larger batches are split). Default: no limit. */
  readonly maxBatchSize?: number;
}

/**
 * A batched, cached loader.
 *
 * @example
 * ```ts
 * import { createCache, withBatch } from 'tagcache';
 * const calls: number[][] = [];
 * const getUsers = withBatch(
 *   async function user(ids: readonly number[]) {
 *     calls.push([...ids]);
 *     return ids.map((id) => ({ id, name: `user ${id}` }));
 *   },
 *   { cache: createCache(), ttl: '10m' },
 * );
 * await getUsers.many([1, 2]); // [{ id: 1, name: 'user 1' }, { id: 2, name: 'user 2' }]
 * await Promise.all([getUsers(2), getUsers(3)]); // [{ id: 2, name: 'user 2' }, { id: 3, name: 'user 3' }]
 * calls; // [[1, 2], [3]]
 * getUsers.keyOf(3); // 'user:3'
 * ```
 */
export interface Batched<K, V> {
  (id: K): Promise<V | undefined>;
  /** The values of `ids`, in order (`undefined` for ids the function did not return). */
  many(ids: readonly K[]): Promise<(V | undefined)[]>;
  /** The entry key of `id` (as `keyOf` of a `withCache` function of the same name). */
  keyOf(id: K): string;
  /** Drops the entries of `ids`. */
  invalidate(...ids: K[]): Promise<void>;
  /** Invalidates every entry of this loader, in O(1) store commands. */
  invalidateAll(): Promise<void>;
  stats(): CacheStats;
}

function settleAll<V>(
  outs: readonly Outcome<V | undefined>[],
  parent: ReturnType<typeof currentComputation>,
): (V | undefined)[] {
  for (const o of outs) propagate(parent, o.tags, o.ttl);
  return outs.map((o) => {
    if (!o.ok) throw o.error;
    return o.value;
  });
}

/**
 * Caches a function that loads many ids at once, entry by entry: `.many(ids)` reads every id in
 * one store round trip and calls `fn` once with only the missing ids; single calls made in the
 * same tick are batched into one `.many` (DataLoader's scheduling). Each id gets its own tags
 * (`tags(id)`, `resultTags(value, id)`, entities), TTL and race-free write; `addTags` inside `fn`
 * applies to every id of the call. Ids `fn` does not return come back `undefined` and are not
 * cached. This ends the N+1 read of list pages.
 *
 * @example
 * ```ts
 * import { withBatch } from 'tagcache';
 * const getUsers = withBatch(
 *   async function user(ids: readonly number[]) {
 *     const rows: User[] = await db.users.findMany({ where: { id: { in: [...ids] } } });
 *     return new Map(rows.map((u) => [u.id, u]));
 *   },
 *   { ttl: '10m', tags: (id) => [`user:${id}`] },
 * );
 * const [ada, bob] = await getUsers.many([1, 2]); // User | undefined each, one store read
 * ```
 */
export function withBatch<K, V>(fn: BatchFn<K, V>, options: BatchOptions<K, V> = {}): Batched<K, V> {
  if (typeof fn !== 'function')
    throw new TypeError('withBatch: expected the batch function (ids) => Map | array');
  const { maxBatchSize, ...cacheOptions } = options;
  if (maxBatchSize !== undefined && (!Number.isInteger(maxBatchSize) || maxBatchSize < 1))
    throw new TypeError('withBatch: maxBatchSize must be a positive integer');
  const name = cacheOptions.name ?? fn.name;
  // The policy gives keys, tags and TTLs; its function is never called (loadMany calls fn).
  const one = async (id: K): Promise<V | undefined> => (await methods.many([id]))[0];
  const p = makePolicy(one, { ...cacheOptions, ...(name ? { name } : {}) } as CacheOptions<
    [K],
    V | undefined
  >);
  const stats = newStats();
  const outcomes = async (ids: readonly K[]): Promise<Outcome<V | undefined>[]> => {
    const rt = runtimeFor(p);
    if (rt !== undefined) return loadMany(p, rt, stats, fn, ids);
    const unique = [...new Set(ids)];
    const result = await fn(unique);
    const values =
      result instanceof Map
        ? unique.map((id) => result.get(id))
        : unique.map((_, i) => (result as readonly (V | undefined)[])[i]);
    const byId = new Map(unique.map((id, i) => [id, values[i]]));
    return ids.map((id) => ({ ok: true, value: byId.get(id), tags: [], ttl: Infinity }));
  };
  const loader = new DataLoader<K, Outcome<V | undefined>>(outcomes, {
    cache: false,
    ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
  });
  const batched = async (id: K): Promise<V | undefined> => {
    const parent = currentComputation();
    return settleAll([await loader.load(id)], parent)[0];
  };
  const methods = {
    many: async (ids: readonly K[]) => {
      const parent = currentComputation();
      return settleAll(await outcomes(ids), parent);
    },
    keyOf: (id: K) => {
      const rt = runtimeFor(p);
      return rt === undefined
        ? p.name + ':' + p.material([id], undefined)
        : keyFor(p, rt, [id]).slice(rt.keyPrefix.length);
    },
    invalidate: async (...ids: K[]) => {
      await resolveCache(p.cache).delete(ids.map((id) => methods.keyOf(id)));
    },
    invalidateAll: () => invalidateAllOf(p),
    stats: (): CacheStats => ({ ...stats }),
  };
  Object.defineProperty(batched, 'name', { value: p.name });
  return Object.freeze(Object.assign(batched, methods));
}
