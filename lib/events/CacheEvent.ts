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
 * What a cache reports through `onEvent` and `cache.on(type, listener)`. Every event names the
 * cache (`cache`) and, where there is one, the cached function (`name`) and the full `key`.
 * `durationMs` is measured only while someone observes (it is absent otherwise): the read for
 * `hit`/`stale-hit`/`miss`, the function's run for `compute`, `write` and `write-refused`, the
 * store operation for `invalidate`, `delete` and `clear`.
 *
 * @example
 * ```ts
 * createCache({ onEvent: (e) => { if (e.type === 'store-error') console.warn(e.op, e.error.message); } });
 * ```
 */
export type CacheEvent =
  | { type: 'hit'; cache: string; name: string; key: string; ttl?: number; durationMs?: number }
  | {
      type: 'stale-hit';
      cache: string;
      name: string;
      key: string;
      reason: 'revalidate' | 'error' | 'invalidated' | 'timeout';
      durationMs?: number;
    }
  | { type: 'miss'; cache: string; name: string; key: string; durationMs?: number }
  | { type: 'compute'; cache: string; name: string; key: string; ok: boolean; durationMs: number }
  | {
      type: 'write';
      cache: string;
      name: string;
      key: string;
      ttl: number;
      tags: readonly string[];
      durationMs?: number;
    }
  | { type: 'write-refused'; cache: string; name: string; key: string; durationMs?: number }
  | {
      type: 'invalidate';
      cache: string;
      tags: readonly string[];
      mode: 'drop' | 'stale';
      durationMs?: number;
    }
  | { type: 'delete'; cache: string; keys: readonly string[]; name?: string; durationMs?: number }
  | { type: 'clear'; cache: string; durationMs?: number }
  | { type: 'store-error'; cache: string; op: StoreOp; key?: string; error: TagcacheError }
  | { type: 'decode-error'; cache: string; name: string; key: string; error: TagcacheError }
  | { type: 'rejected-entry'; cache: string; name: string; key: string; reason: 'schema' | 'validate' }
  | { type: 'refresh-error'; cache: string; name: string; key: string; error: unknown }
  | { type: 'circuit'; cache: string; state: 'open' | 'half-open' | 'closed' }
  | { type: 'lock-wait'; cache: string; name: string; key: string; outcome: 'hit' | 'timeout' }
  | { type: 'serialize-error'; cache: string; name: string; key: string; error: TagcacheError }
  /** An `entity()` found nothing in a non-empty result: its `path` led nowhere, or no object had a usable id. */
  | {
      type: 'entity-unresolved';
      cache: string;
      name: string;
      key: string;
      entity: string;
      reason: 'path' | 'id';
    };

/**
 * The `type` field of {@link CacheEvent}.
 *
 * @example
 * ```ts
 * const t: CacheEventType = 'hit';
 * ```
 */
export type CacheEventType = CacheEvent['type'];

/**
 * The event of type `T`.
 *
 * @example
 * ```ts
 * const onHit = (e: CacheEventOf<'hit'>) => console.log(e.key, e.durationMs);
 * ```
 */
export type CacheEventOf<T extends CacheEventType> = Extract<CacheEvent, { type: T }>;

/**
 * Events that are warnings: logged (rate-limited) even when nobody listens.
 */
export const WARNING_EVENTS: ReadonlySet<CacheEventType> = new Set<CacheEventType>([
  'store-error',
  'decode-error',
  'serialize-error',
  'circuit',
  'refresh-error',
  'entity-unresolved',
]);
