import type { NameClaim } from './nameClaims.js';
import type { StoreGuard } from './storeGuard.js';
import type { Timers } from './timers.js';
import type { CacheEvent } from '../events/CacheEvent.js';
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
  /** Default TTL, ms. */
  readonly ttl: number;
  readonly enabled: boolean;
  /** Default timeout of store operations, ms. */
  readonly timeout: number;
  /** Clock and timers of the guard and lock waits (injectable for tests). */
  readonly timers: Timers;
  readonly guard: StoreGuard;
  /** Warnings (errors, circuit changes): to the logger and the listener. */
  readonly emit: ((e: CacheEvent) => void) | undefined;
  /** Informational events (hits, misses, writes, …): undefined unless someone listens, so the hot path builds none. */
  readonly trace: ((e: CacheEvent) => void) | undefined;
  /** The function holding each name in this cache (see `claimName`). */
  readonly names: Map<string, NameClaim>;
  /** In-process single flight: key → running computation. */
  readonly inflight: Map<string, { readonly epoch: number; readonly promise: Promise<unknown> }>;
}
