/**
 * The store contract. A store moves opaque payloads (strings for remote stores, live values for
 * in-process stores) and owns the logical clocks that make tag invalidation race-free.
 *
 * Clocks: every namespace is split into groups; each group has an epoch counter. A miss returns
 * the epoch of the key's group; a write carries that epoch back and is refused when one of its
 * tags (or the key itself) was invalidated after it. A hit is refused when one of the entry's
 * tags was invalidated after the entry was written. No wall clock takes part in these decisions.
 *
 * @packageDocumentation
 */

/** A logical clock reading returned by a miss and handed back to {@link Store.set}. */
export type Epoch = number;

/** How an invalidation treats the entries it reaches. */
export type InvalidationMode = 'drop' | 'stale';

/**
 * Freshness of an entry that a store returned.
 * - `fresh`: within its TTL and not invalidated.
 * - `expired`: past its TTL but inside its grace window (kept for stale serving).
 * - `invalidated`: reached by a `mode: 'stale'` invalidation; served only by stale policies.
 */
export type EntryState = 'fresh' | 'expired' | 'invalidated';

/**
 * A hit: the payload and what the store knows of the entry. Read its fields when it arrives: an
 * in-process store may hand the same record out again for a later hit of the same stored entry,
 * with its `ttl` brought up to date (the tiered store's memory tier does).
 *
 * @example
 * ```ts
 * const r = await store.get('app', 'user:1');
 * if (r.hit) console.log(r.state, r.ttl, r.tags);
 * ```
 */
export interface StoreHit<P> {
  readonly hit: true;
  readonly payload: P;
  /** Tags recorded with the entry (propagated to enclosing computations on a hit). */
  readonly tags: readonly string[];
  /** Writer's wall clock at write time, ms since 1970 (for `validate`, never for invalidation). */
  readonly createdAt: number;
  /** Milliseconds of freshness left (0 or less once expired). */
  readonly ttl: number;
  readonly state: EntryState;
  /** The payload is a cached error (see the `cacheErrors` option). */
  readonly error: boolean;
  /**
   * The current epoch of the key's group, exactly what a miss would return now: a computation
   * that replaces this entry (stale refresh, `refresh()`) passes it to {@link Store.set}.
   */
  readonly epoch: Epoch;
  /**
   * In-process stores only: an object the store keeps with this one stored entry (the same object
   * for every read of it, a new one once the entry is rewritten). The cache keeps a private decoded
   * template of the payload in it, so later hits cost a structural copy instead of a parse. The
   * store never looks inside it; remote stores leave it out.
   */
  readonly slot?: DecodedSlot | undefined;
}

/**
 * See {@link StoreHit.slot}: where the cache remembers the decoded payload of one stored entry.
 *
 * @example
 * ```ts
 * const stored: { payload: string; decoded?: unknown } = { payload: 'j{"a":1}' };
 * const hit = { hit: true, payload: stored.payload, slot: stored as DecodedSlot };
 * ```
 */
export interface DecodedSlot {
  decoded?: unknown;
}

/**
 * What {@link Store.freshEntry} gives: a stored entry that is fresh and valid right now. In-process
 * stores return their own stored object (it is also the entry's {@link DecodedSlot}), so that a
 * plain hit allocates nothing; the cache only reads it, except for the slot's `decoded`.
 *
 * @example
 * ```ts
 * const entry: FreshEntry<unknown> | undefined = store.freshEntry?.('app', 'app:v1:user:1');
 * if (entry !== undefined && !entry.error) console.log(entry.payload);
 * ```
 */
export interface FreshEntry<P> extends DecodedSlot {
  readonly payload: P;
  /** The payload is a cached error (a `cacheErrors` entry). */
  readonly error: boolean;
}

/**
 * A miss: the epoch a computation starts at.
 *
 * @example
 * ```ts
 * const r = await store.get('app', 'user:1');
 * if (!r.hit) await store.set('app', 'user:1', { payload: '1', tags: [], createdAt: Date.now(), ttl: 1000, grace: 0, error: false }, r.epoch);
 * ```
 */
export interface StoreMiss {
  readonly hit: false;
  readonly epoch: Epoch;
}

/**
 * What {@link Store.get} returns.
 *
 * @example
 * ```ts
 * const r: ReadResult<string> = await store.get('app', 'k');
 * ```
 */
export type ReadResult<P> = StoreHit<P> | StoreMiss;

/**
 * An entry to write.
 *
 * @example
 * ```ts
 * const entry: WriteEntry<string> = { payload: '"v"', tags: ['user:1'], createdAt: Date.now(), ttl: 60_000, grace: 0, error: false };
 * ```
 */
export interface WriteEntry<P> {
  readonly payload: P;
  readonly tags: readonly string[];
  readonly createdAt: number;
  /** Fresh lifetime in ms (> 0). */
  readonly ttl: number;
  /** Extra ms the entry is kept after `ttl` for stale serving (0 for none). */
  readonly grace: number;
  readonly error: boolean;
}

/**
 * A held cross-process lock.
 *
 * @example
 * ```ts
 * const lock = await store.lock?.('app', 'k', 5000);
 * await lock?.release();
 * ```
 */
export interface StoreLock {
  release(): Promise<void>;
}

/**
 * Where {@link Store.readInto} hands its reply: `replied` with the read, or `failed` with the
 * error, once. The caller may have given up on the read already (its deadline passed); the target
 * then ignores both. A target never throws (a store may hand one reply to several targets in turn).
 *
 * @example
 * ```ts
 * const target: ReadTarget<ReadResult<string>> = {
 *   replied: (read) => console.log(read.hit),
 *   failed: (error) => console.error(error),
 * };
 * ```
 */
export interface ReadTarget<T> {
  replied(value: T): void;
  failed(error: unknown): void;
}

/**
 * The store interface. Implementations are factories returning a frozen record of functions
 * with their state in a closure. Methods may return synchronously (in-process stores) or a
 * promise (remote stores); callers handle both.
 *
 * @example
 * ```ts
 * import { memoryStore, createCache } from 'tagcache';
 * const store: Store = memoryStore({ maxEntries: 10_000 });
 * const cache = createCache({ store });
 * ```
 */
export interface Store<P = unknown> {
  /** Short name for events and logs: `memory`, `redis`, `redis-cluster`, `file`, `null`, … */
  readonly kind: string;
  /**
   * `true` when the store keeps payloads as live values (no serializer is applied);
   * `false` when payloads are strings produced by the cache's serializer.
   */
  readonly holdsValues: boolean;
  /** Reads `key` in namespace `ns`: a hit (possibly stale) or a miss with the current epoch. */
  get(ns: string, key: string): ReadResult<P> | Promise<ReadResult<P>>;
  /**
   * Optional, in-process stores only: the entry of `key` when it is fresh and valid now (not
   * expired, not invalidated, not deleted), synchronously, else undefined. It is the plain hit's
   * shortcut: the cache calls it when nothing observes the call and no enclosing computation needs
   * the entry's tags, and falls back to {@link Store.get} whenever it gives undefined. It may give
   * undefined whenever it has no quick answer (a memory tier that does not hold the key), but it
   * never gives an entry that `get` would not call `fresh` with the same payload, and it touches
   * nothing `get` would not.
   */
  freshEntry?(ns: string, key: string): FreshEntry<P> | undefined;
  /**
   * Optional, remote stores: {@link Store.get} that hands its result to `target` instead of
   * returning a promise, exactly once. The cache passes the target of its deadline, so a read
   * costs no promise of the store's own between the reply and the caller. It must behave as `get`
   * in everything else (same result, same errors, thrown synchronously or handed to `failed`).
   */
  readInto?(ns: string, key: string, target: ReadTarget<ReadResult<P>>): void;
  /**
   * Writes `entry` unless a tag of it, or the key itself, was invalidated after `epoch`.
   * Without `epoch` the write is unconditional (an explicit `set`). Resolves `true` if written.
   */
  set(ns: string, key: string, entry: WriteEntry<P>, epoch?: Epoch): boolean | Promise<boolean>;
  /** Removes keys, and refuses writes of computations that started before the removal. */
  delete(ns: string, keys: readonly string[]): void | Promise<void>;
  /** Invalidates every entry carrying one of `tags`, in O(groups), whatever their number. */
  invalidate(ns: string, tags: readonly string[], mode: InvalidationMode): void | Promise<void>;
  /** Removes every entry of the namespace. */
  clear(ns: string): void | Promise<void>;
  /** Takes a cross-process lock on `key` for `ttl` ms; `undefined` when another holder has it. */
  lock?(ns: string, key: string, ttl: number): Promise<StoreLock | undefined>;
  /**
   * Connects now (remote stores): resolves once the store can take operations, rejects with the
   * real cause (missing driver, wrong password, closed port). Awaiting it before arming
   * per-operation timeouts keeps the first call's connection out of its `timeout`.
   */
  ready?(): Promise<void>;
  /**
   * `true` when the store created its connection (and `close()` releases it); `false` when it runs
   * on a client the user passed in. In-process stores leave it out.
   */
  readonly ownsClient?: boolean;
  // Key-value operations (optional; see lib/kv/storeOps.ts for what the cache does without them).
  /** Reads many keys at once, each as {@link Store.get} would (one round trip on Redis). */
  getMany?(ns: string, keys: readonly string[]): ReadResult<P>[] | Promise<ReadResult<P>[]>;
  /** Writes many entries at once, each as {@link Store.set} would; one flag per item. */
  setMany?(ns: string, items: readonly ManyWrite<P>[]): boolean[] | Promise<boolean[]>;
  /** Like {@link Store.delete}, and tells how many of the keys held an entry. */
  remove?(ns: string, keys: readonly string[]): number | Promise<number>;
  /** Gives a stored entry `ttl` more ms of freshness (its grace follows); `false` when absent. */
  expire?(ns: string, key: string, ttl: number): boolean | Promise<boolean>;
  /** The keys of the namespace matching a glob (`*`, `?`, `[a-z]`, `\\x`), in batches, without blocking the store. */
  scan?(ns: string, pattern: string): AsyncIterable<readonly string[]>;
  /** Checks the store answers (rejects otherwise). */
  ping?(): void | Promise<void>;
  /** What the store can tell about itself and the namespace. */
  info?(ns: string): StoreInfo | Promise<StoreInfo>;
  /** Releases connections and timers. Idempotent. */
  close(): Promise<void>;
}

/**
 * One write of {@link Store.setMany}: `epoch` as for {@link Store.set} (absent: unconditional).
 *
 * @example
 * ```ts
 * const w: ManyWrite<string> = { key: 'user:1', entry: { payload: '"v"', tags: [], createdAt: Date.now(), ttl: 1000, grace: 0, error: false } };
 * ```
 */
export interface ManyWrite<P> {
  readonly key: string;
  readonly entry: WriteEntry<P>;
  readonly epoch?: Epoch;
}

/**
 * What {@link Store.info} reports.
 *
 * @example
 * ```ts
 * const info: StoreInfo = { entries: 12, bytes: 4096 };
 * ```
 */
export interface StoreInfo {
  /** Entries held in the namespace, when the store knows it cheaply. */
  readonly entries?: number;
  /** Bytes used (the namespace's for in-process stores, the server's for Redis). */
  readonly bytes?: number;
  /** Server facts (Redis `INFO` fields: `redis_version`, `used_memory`, …). */
  readonly server?: Readonly<Record<string, string>>;
}
