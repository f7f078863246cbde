import type { NameClaim } from './nameClaims.js';
import type { StoreGuard } from './storeGuard.js';
import type { Timers } from './timers.js';
import type { TtlPresets } from './ttlPresets.js';
import type { CacheEvent } from '../events/CacheEvent.js';
import type { EventHub } from '../events/eventHub.js';
import type { Serializer } from '../serializers/Serializer.js';
import type { Store } from '../stores/Store.js';

/** Marks the internal runtime of a cache handle. */
export const runtimeOf: unique symbol = Symbol('tagcache.runtime');

/** What `withCache` and the invalidation functions use of a cache (internal). */
export interface Runtime {
  readonly name: string;
  /** The store namespace (key prefix and tag scope). */
  readonly namespace: string;
  /** Put before each function name in keys: the cache's version. */
  readonly keyPrefix: string;
  readonly store: Store;
  readonly serializer: Serializer;
  /** Default TTL, ms (capped by `maxTtl`). */
  readonly ttl: number;
  /** Cap on every TTL of this cache, ms (Infinity: none). */
  readonly maxTtl: number;
  /** `'short' | 'default' | 'long'` of this cache, ms. */
  readonly ttlPresets: TtlPresets;
  readonly enabled: boolean;
  /** Default timeout of store operations, ms. */
  readonly timeout: number;
  /** Clock and timers of the guard and lock waits (injectable for tests). */
  readonly timers: Timers;
  readonly guard: StoreGuard;
  /**
   * Where the cache's events go: the recording functions of `events/record.ts` count, and build
   * an event only while `events.active` (a listener, `onEvent`, debug, metrics, `instrument()`).
   */
  readonly events: EventHub;
  /**
   * @deprecated Use the recording functions of `events/record.ts` (they count, and build events
   * only while `events.active`). Publishes any event. (`trace` is gone: an accessor on this
   * frozen record cost ~15% of the memory hit.)
   */
  readonly emit: (e: CacheEvent) => void;
  /** The function holding each name in this cache (see `claimName`). */
  readonly names: Map<string, NameClaim>;
  /** In-process single flight: key → running computation. */
  readonly inflight: Map<string, { readonly epoch: number; readonly promise: Promise<unknown> }>;
}
