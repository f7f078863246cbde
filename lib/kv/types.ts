/**
 * The key-value API of a cache handle: the same entries as the wrapped functions', by key.
 *
 * @packageDocumentation
 */
import type { Duration } from '../core/duration.js';
import type { Ttl } from '../core/ttlPresets.js';
import type { CacheOptions, EntryInfo } from '../core/types.js';

/**
 * Options of `cache.set`.
 *
 * @example
 * ```ts
 * import { createCache, invalidateTag } from 'tagcache';
 * const cache = createCache();
 * const user = { id: 1, name: 'Ada' };
 * await cache.set('user:1', user, { ttl: '10m', tags: ['user:1', 'users'] });
 * await cache.has('user:1'); // true
 * await invalidateTag('users', { cache });
 * await cache.has('user:1'); // false
 * ```
 */
export interface SetOptions {
  /** Default: the cache's TTL. */
  readonly ttl?: Ttl;
  /** Tags: `invalidateTag` reaches the entry like any other. */
  readonly tags?: Iterable<string>;
}

/**
 * One item of `cache.setMany`.
 *
 * @example
 * ```ts
 * const item: SetManyItem = { key: 'user:1', value: { id: 1 }, ttl: '1m', tags: ['user:1'] };
 * ```
 */
export interface SetManyItem extends SetOptions {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Options of `cache.getOrSet`: those of `withCache` that apply to one key.
 *
 * @example
 * ```ts
 * const opts: GetOrSetOptions<User> = { ttl: '5m', tags: ['users'], staleWhileRevalidate: '1m' };
 * ```
 */
export type GetOrSetOptions<T> = Omit<CacheOptions<[], T>, 'cache' | 'name' | 'key'>;

/**
 * What `cache.info()` reports.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * const cache = createCache();
 * await cache.set('config', { theme: 'dark' });
 * const info = await cache.info(); // kind ('memory'), entries, bytes, server
 * info.entries; // 1
 * ```
 */
export interface CacheInfo {
  /** The store's kind: `memory`, `redis`, `redis-cluster`, `file`, `null`, … */
  readonly store: string;
  /** Entries of the cache's namespace, when the store knows it cheaply (memory, file). */
  readonly entries?: number;
  /** Bytes used: the namespace's (memory with `maxBytes`) or the servers' (Redis `used_memory`). */
  readonly bytes?: number;
  /** Redis `INFO` fields of the (first) server, plus `masters`. */
  readonly server?: Readonly<Record<string, string>>;
}

/**
 * The key-value methods of every cache handle. Keys are those `keyOf` returns for wrapped
 * functions (the cache adds its version), so `cache.get(getUser.keyOf(1))` reads `getUser(1)`'s
 * entry and `cache.delete(getUser.keyOf(1))` makes it recompute.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * const cache = createCache();
 * await cache.set('config', { theme: 'dark' }, { ttl: '1h', tags: ['config'] });
 * await cache.get<{ theme: string }>('config'); // { theme: 'dark' }
 * await cache.getMany(['config', 'other']); // [{ theme: 'dark' }, undefined]
 * await cache.delete(['config', 'other']); // 1
 * ```
 */
export interface KeyValueCache {
  /** The fresh value of `key`, or `undefined` (a cached `undefined` too: use `getEntry` to tell). */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** The fresh entry of `key` with its metadata, or `undefined` when there is none. */
  getEntry<T = unknown>(key: string): Promise<EntryInfo<T> | undefined>;
  /** Writes `value` (through the cache's serializer) under `key`. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** The value of `key`, computing and caching it with `fn` on a miss (single flight, race-free). */
  getOrSet<T>(key: string, fn: () => Promise<T>, options?: GetOrSetOptions<T>): Promise<T>;
  /** Removes keys; resolves to how many held an entry. Computations already running for them will not write. */
  delete(keys: string | readonly string[]): Promise<number>;
  /** Whether `key` has a fresh entry. */
  has(key: string): Promise<boolean>;
  /** Milliseconds of freshness left for `key`, or `undefined` when it has no fresh entry. */
  ttl(key: string): Promise<number | undefined>;
  /** Gives the entry of `key` a new TTL from now; `false` when there is none (or it was invalidated). */
  expire(key: string, ttl: Duration): Promise<boolean>;
  /** The keys matching a glob (`*`, `?`, `[a-z]`, `\x`), without blocking the store (SCAN on Redis). */
  keys(pattern?: string): AsyncIterable<string>;
  /** Removes every key matching the glob; resolves to how many were removed. */
  deletePattern(pattern: string): Promise<number>;
  /** The fresh values of `keys`, in order (one store round trip). */
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Writes many entries at once (one store round trip on a single Redis). */
  setMany(items: readonly SetManyItem[]): Promise<void>;
  /** Round-trip time to the store, in ms; rejects when it does not answer. */
  ping(): Promise<number>;
  /** What the store can tell about itself. */
  info(): Promise<CacheInfo>;
}
