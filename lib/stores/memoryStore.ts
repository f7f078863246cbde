import { LRUCache } from 'lru-cache';
import { createMarkers } from './markers.js';
import { derivedOps, scanIterable } from '../kv/storeOps.js';
import type { Epoch, ReadResult, Store, WriteEntry } from './Store.js';

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * const opts: MemoryStoreOptions = { maxEntries: 50_000, maxBytes: 64 * 1024 * 1024 };
 * ```
 */
export interface MemoryStoreOptions {
  /** Most entries kept per namespace; the least recently used go first. Default 10,000. */
  readonly maxEntries?: number;
  /** Optional bound on the estimated size of the values of a namespace, in bytes. */
  readonly maxBytes?: number;
  /** Size estimate of one value for `maxBytes`; default: a cheap structural estimate. */
  readonly sizeOf?: (value: unknown) => number;
}

/**
 * The memory store, with a look at its size.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * console.log(store.inspect()); // { entries: 0, markers: 0 }
 * ```
 */
export interface MemoryStore extends Store {
  /** Entries held and live invalidation markers (tags and deleted keys). */
  inspect(): { entries: number; markers: number };
}

interface MemoryEntry {
  readonly payload: unknown;
  readonly tags: readonly string[];
  readonly createdAt: number;
  readonly freshUntil: number;
  readonly deleteAt: number;
  readonly epoch: Epoch;
  readonly error: boolean;
}

/**
 * A rough byte size of a value: strings by length, objects by their fields, to a bounded depth.
 *
 * @example
 * ```ts
 * estimateSize({ a: 'hello' }); // ~ 26
 * ```
 */
export function estimateSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 2 * value.length + 8;
  if (value === null || typeof value !== 'object') return 8;
  if (depth > 6) return 64;
  let size = 16;
  if (Array.isArray(value)) for (const v of value) size += estimateSize(v, depth + 1);
  else if (value instanceof Map) for (const [k, v] of value) size += estimateSize(k, depth + 1) + estimateSize(v, depth + 1);
  else if (value instanceof Set) for (const v of value) size += estimateSize(v, depth + 1);
  else for (const k in value) size += 2 * k.length + estimateSize((value as Record<string, unknown>)[k], depth + 1);
  return size;
}

/**
 * The embedded in-process store: an LRU (lru-cache) bounded by `maxEntries` and optionally
 * `maxBytes`, holding values as they are (no serialization; a hit returns the same object the
 * function returned, so treat cached values as immutable). Tag invalidation is lazy with logical
 * clocks, O(1) whatever the number of entries carrying the tag.
 *
 * @example
 * ```ts
 * import { createCache, memoryStore } from 'tagcache';
 * const cache = createCache({ store: memoryStore({ maxEntries: 1000 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = options.maxEntries ?? 10_000;
  if (!Number.isInteger(max) || max < 1) throw new TypeError('memoryStore: maxEntries must be a positive integer');
  const sizeOf = options.sizeOf ?? estimateSize;
  const lruOptions = {
    max,
    ...(options.maxBytes === undefined
      ? {}
      : { maxSize: options.maxBytes, sizeCalculation: (e: MemoryEntry) => Math.max(1, sizeOf(e.payload)) }),
  };
  /** One LRU per namespace: lookups use the caller's key string as it is (no concatenation). */
  const lrus = new Map<string, LRUCache<string, MemoryEntry>>();
  const lruOf = (ns: string): LRUCache<string, MemoryEntry> => {
    let lru = lrus.get(ns);
    if (lru === undefined) lrus.set(ns, (lru = new LRUCache<string, MemoryEntry>(lruOptions)));
    return lru;
  };
  const markers = createMarkers();

  const get = (ns: string, key: string): ReadResult<unknown> => {
    const lru = lrus.get(ns);
    const e = lru?.get(key);
    if (e === undefined) return { hit: false, epoch: markers.epoch() };
    const now = Date.now();
    if (now >= e.deleteAt) {
      lru?.delete(key);
      return { hit: false, epoch: markers.epoch() };
    }
    let invalidated = false;
    if (e.epoch < markers.lastChange() && e.tags.length > 0) {
      const verdict = markers.check(ns, e.tags, e.epoch, now);
      if (verdict === 'drop') {
        lru?.delete(key);
        return { hit: false, epoch: markers.epoch() };
      }
      invalidated = verdict === 'stale';
    }
    const ttl = e.freshUntil - now;
    const state = invalidated ? 'invalidated' : ttl > 0 ? 'fresh' : 'expired';
    return { hit: true, payload: e.payload, tags: e.tags, createdAt: e.createdAt, ttl, state, error: e.error, epoch: markers.epoch() };
  };

  const set = (ns: string, key: string, entry: WriteEntry<unknown>, epoch?: Epoch): boolean => {
    const now = Date.now();
    if (epoch !== undefined && markers.refuses(ns, key, entry.tags, epoch, now)) return false;
    const life = entry.ttl + entry.grace;
    markers.noteLife(life);
    lruOf(ns).set(key, {
      payload: entry.payload,
      tags: entry.tags,
      createdAt: entry.createdAt,
      freshUntil: now + entry.ttl,
      deleteAt: now + life,
      epoch: markers.epoch(),
      error: entry.error,
    });
    return true;
  };

  const remove = (ns: string, keys: readonly string[]): void => {
    const now = Date.now();
    const lru = lrus.get(ns);
    for (const key of keys) {
      markers.deleted(ns, key, now);
      lru?.delete(key);
    }
  };
  /** Key-value API: gives a stored entry `ttl` more ms of freshness, keeping its grace. */
  const expire = (ns: string, key: string, ttl: number): boolean => {
    const lru = lrus.get(ns);
    const r = get(ns, key);
    const e = lru?.get(key);
    const now = Date.now();
    if (!r.hit || r.state === 'invalidated' || lru === undefined || e === undefined) return false;
    const grace = Math.max(0, e.deleteAt - e.freshUntil);
    markers.noteLife(ttl + grace);
    lru.set(key, { ...e, freshUntil: now + ttl, deleteAt: now + ttl + grace });
    return true;
  };

  return Object.freeze({
    kind: 'memory',
    holdsValues: true,
    get,
    set,
    delete: remove,
    ...derivedOps({ get, set, delete: remove }),
    expire,
    scan: (ns: string, pattern: string) => {
      const lru = lrus.get(ns);
      const now = Date.now();
      return scanIterable(lru?.keys() ?? [], pattern, (k) => (lru?.peek(k)?.deleteAt ?? 0) > now);
    },
    ping: () => undefined,
    info: (ns: string) => {
      const lru = lrus.get(ns);
      return { entries: lru?.size ?? 0, ...(options.maxBytes === undefined ? {} : { bytes: lru?.calculatedSize ?? 0 }) };
    },
    invalidate(ns: string, tags: readonly string[], mode: 'drop' | 'stale') {
      if (tags.length > 0) markers.invalidate(ns, tags, mode, Date.now());
    },
    clear(ns: string) {
      markers.clearNamespace(ns);
      lrus.get(ns)?.clear();
    },
    close: () => Promise.resolve(),
    inspect: () => ({ entries: [...lrus.values()].reduce((n, l) => n + l.size, 0), markers: markers.size() }),
  });
}
