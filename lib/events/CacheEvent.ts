import type { TagcacheError } from '../errors.js';

/**
 * Store operations named in events.
 *
 * @example
 * ```ts
 * const op: StoreOp = 'get';
 * ```
 */
export type StoreOp = 'get' | 'set' | 'delete' | 'invalidate' | 'clear' | 'lock';

/**
 * What a cache reports through `onEvent`. Every event names the cache (`cache`) and, where there
 * is one, the cached function (`name`) and the full `key`.
 *
 * @example
 * ```ts
 * createCache({ onEvent: (e) => { if (e.type === 'store-error') console.warn(e.op, e.error.message); } });
 * ```
 */
export type CacheEvent =
  | { type: 'hit'; cache: string; name: string; key: string }
  | { type: 'stale-hit'; cache: string; name: string; key: string; reason: 'revalidate' | 'error' | 'invalidated' | 'timeout' }
  | { type: 'miss'; cache: string; name: string; key: string }
  | { type: 'write'; cache: string; name: string; key: string; ttl: number; tags: readonly string[] }
  | { type: 'write-refused'; cache: string; name: string; key: string }
  | { type: 'invalidate'; cache: string; tags: readonly string[]; mode: 'drop' | 'stale' }
  | { type: 'delete'; cache: string; keys: readonly string[] }
  | { type: 'clear'; cache: string }
  | { type: 'store-error'; cache: string; op: StoreOp; key?: string; error: TagcacheError }
  | { type: 'decode-error'; cache: string; name: string; key: string; error: TagcacheError }
  | { type: 'rejected-entry'; cache: string; name: string; key: string; reason: 'schema' | 'validate' }
  | { type: 'refresh-error'; cache: string; name: string; key: string; error: unknown }
  | { type: 'circuit'; cache: string; state: 'open' | 'half-open' | 'closed' }
  | { type: 'lock-wait'; cache: string; name: string; key: string; outcome: 'hit' | 'timeout' }
  | { type: 'serialize-error'; cache: string; name: string; key: string; error: TagcacheError }
  /** An `entity()` found nothing in a non-empty result: its `path` led nowhere, or no object had a usable id. */
  | { type: 'entity-unresolved'; cache: string; name: string; key: string; entity: string; reason: 'path' | 'id' };

/**
 * The `type` field of {@link CacheEvent}.
 *
 * @example
 * ```ts
 * const t: CacheEventType = 'hit';
 * ```
 */
export type CacheEventType = CacheEvent['type'];
