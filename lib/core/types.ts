import type { Duration } from './duration.js';
import type { Ttl } from './ttlPresets.js';
import type { Cache } from './createCache.js';
import type { EntityExtractor } from '../entities/entity.js';
import type { StandardSchemaV1 } from '../options/standardSchema.js';
import type { TagList } from '../tags/tagSources.js';

/**
 * An error class, for `cacheErrors`.
 *
 * @example
 * ```ts
 * class NotFound extends Error {}
 * const classes: ErrorClass[] = [NotFound];
 * ```
 */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The entry handed to `validate`.
 *
 * @example
 * ```ts
 * const fresh = (e: EntryInfo<number>) => e.age < 30_000;
 * ```
 */
export interface EntryInfo<R> {
  readonly value: R;
  /** When the entry was written, ms since 1970. */
  readonly createdAt: number;
  /** Milliseconds since it was written. */
  readonly age: number;
  /** Milliseconds of freshness left. */
  readonly ttl: number;
  /** Tags recorded with the entry (its own, those of its results, entities and nested calls). */
  readonly tags: readonly string[];
}

/**
 * Options of `withCache`. `This` is the type of `this` the `key`, `tags` and `resultTags`
 * functions see (the instance, for decorated methods).
 *
 * @example
 * ```ts
 * const opts: CacheOptions<[id: number], User> = { ttl: '5m', tags: (id) => [`user:${id}`] };
 * ```
 */
export interface CacheOptions<A extends unknown[], R, This = unknown> {
  /** A cache handle or the name of a registered one; default: the process default cache. */
  readonly cache?: Cache | string;
  /**
   * Stable key scope; default `fn.name`, required for anonymous functions. Unique per cache:
   * wrapping a different function under a name already used in the cache throws.
   */
  readonly name?: string;
  /**
   * This function shares its entries with other functions wrapped under the same `name` in the
   * cache (all of them must say so). Default `false`.
   */
  readonly shareEntries?: boolean;
  /**
   * Key material: a function of the arguments, or a template (`'user:{id}:profile'` reads fields
   * of the first object argument, `'{0}:{1.page}'` positions and paths). Default: a stable form
   * of all arguments (an `AbortSignal` is always left out).
   */
  readonly key?: ((this: This, ...args: A) => unknown) | string;
  /** Argument positions, or fields of the first (plain object) argument, left out of the key. */
  readonly exclude?: ReadonlyArray<number | string>;
  /**
   * A duration, `'short' | 'default' | 'long'` (the cache's presets), `'forever'`, or a function
   * of the value (a result `<= 0` is not cached). Default: the cache's TTL. Capped by `maxTtl`.
   */
  readonly ttl?: Ttl | ((value: R) => Ttl);
  /** Static tags, or tags from the arguments: one tag (a string) or an iterable of tags. */
  readonly tags?: TagList | ((this: This, ...args: A) => TagList);
  /** Tags from the value and the arguments: one tag (a string) or an iterable of tags. */
  readonly resultTags?: (this: This, value: R, ...args: A) => TagList;
  /** Entities found in the value become `type:id` tags. */
  readonly entities?: EntityExtractor | readonly EntityExtractor[];
  /** Cache the value only when this is true. */
  readonly cacheIf?: (value: R) => boolean;
  /** A cached entry for which this is false counts as a miss. */
  readonly validate?: (entry: EntryInfo<R>) => boolean;
  /** Cached values that fail it count as a miss and are removed (zod or any Standard Schema). */
  readonly schema?: StandardSchemaV1;
  /** Serve an expired value this long after its TTL while one background call refreshes it. */
  readonly staleWhileRevalidate?: Duration;
  /** Serve an expired value this long after its TTL when the function throws. */
  readonly staleIfError?: Duration;
  /**
   * When a stale value is servable (within `staleIfError`/`staleWhileRevalidate` past its TTL)
   * and the function takes longer than this, serve it; the computation finishes in the
   * background and is cached.
   */
  readonly softTimeout?: Duration;
  /** A call whose function takes longer than this rejects with TimeoutError (the computation goes on). */
  readonly hardTimeout?: Duration;
  /** 0..1: shortens each TTL by a random part of up to this fraction, spreading expiry. */
  readonly jitter?: number;
  /** 0..1: a hit in this last fraction of the TTL starts one background refresh. */
  readonly refreshAhead?: number;
  /** Errors to cache (and re-throw on hits): classes, or a predicate. */
  readonly cacheErrors?: readonly ErrorClass[] | ((error: unknown) => boolean);
  /** Cross-process single flight through the store's lock (Redis). */
  readonly lock?: boolean | { readonly ttl?: Duration; readonly wait?: Duration };
  /** Store operations of this function slower than this fail open. Default: the cache's. */
  readonly timeout?: Duration;
  /**
   * Called after every call of the cached function (hit or not) with what happened; errors it
   * throws are reported once and never reach the caller.
   */
  readonly onCall?: (info: CallInfo<A, R>) => void;
}

/**
 * What `onCall` receives about one call: whether the cache answered (`hit`, `stale` for a stale
 * value), the key, the arguments, the value (or the error the call rejected with) and how long
 * the call took, in ms.
 *
 * @example
 * ```ts
 * const log = (c: CallInfo<[id: number], User>) => console.log(c.hit ? 'hit' : 'miss', c.key, c.durationMs);
 * ```
 */
export interface CallInfo<A extends unknown[], R> {
  readonly hit: boolean;
  readonly stale: boolean;
  readonly key: string;
  readonly args: A;
  /** The result; `undefined` when the call rejected. */
  readonly value: R | undefined;
  /** What the call rejected with; `undefined` when it resolved. */
  readonly error: unknown;
  readonly durationMs: number;
}

import type { CacheStats } from '../events/CacheStats.js';
export type { CacheStats };

/** Marks the definition of a cached function (for composition). */
export const definitionOf: unique symbol = Symbol('tagcache.definition');

/**
 * A cached function and its helpers.
 *
 * @example
 * ```ts
 * const getUser = withCache(fetchUser, { ttl: '5m' });
 * await getUser(1);            // cached call
 * await getUser.peek(1);       // read without calling fetchUser
 * await getUser.invalidate(1); // drop this entry
 * ```
 */
export interface Cached<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** Reads the entry without calling the function. */
  peek(...args: A): Promise<R | undefined>;
  /** Reads the entry with its metadata (tells a cached `undefined` from a miss). */
  peekEntry(...args: A): Promise<EntryInfo<R> | undefined>;
  /** Invalidates every entry of this function (and those that depend on them), in O(1) store commands. */
  invalidateAll(): Promise<void>;
  /** Writes `value` as the entry for `args`. */
  set(value: R, ...args: A): Promise<void>;
  /** Drops the entry for `args` (also refusing writes of calls already running). */
  invalidate(...args: A): Promise<void>;
  /** Calls the function and overwrites the entry. */
  refresh(...args: A): Promise<R>;
  /** Calls the function, touching nothing. */
  uncached(...args: A): Promise<R>;
  /** The entry's key (without the namespace). */
  keyOf(...args: A): string;
  stats(): CacheStats;
  readonly [definitionOf]: { readonly fn: (...args: A) => Promise<R>; readonly options: CacheOptions<A, R> };
}
