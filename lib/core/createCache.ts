import { deferClear, deferTags } from './deferral.js';
import { newDefaultStore } from './defaultStores.js';
import { toMs, type Duration } from './duration.js';
import { eventLogger, type Logger } from './logger.js';
import { register } from './registry.js';
import { runtimeOf, type Runtime } from './runtime.js';
import { createStoreGuard } from './storeGuard.js';
import { systemTimers, type Timers } from './timers.js';
import { parseOptions } from '../options/parseOptions.js';
import { cacheConfigSchema } from '../options/schemas.js';
import { defaultSerializer } from '../serializers/index.js';
import type { BreakerOptions } from './circuitBreaker.js';
import type { CacheEvent } from '../events/CacheEvent.js';
import type { Serializer } from '../serializers/Serializer.js';
import type { InvalidationMode, Store } from '../stores/Store.js';
import { keyValueMethods } from '../kv/keyValueMethods.js';
import type { KeyValueCache } from '../kv/types.js';

/**
 * Configuration of {@link createCache} and `configure`.
 *
 * @example
 * ```ts
 * const config: CacheConfig = { name: 'users', namespace: 'app', ttl: '5m', version: 2 };
 * ```
 */
export interface CacheConfig {
  /** Registers the cache: `getCache(name)` returns this handle. */
  readonly name?: string;
  /** Default: `memoryStore()`. */
  readonly store?: Store;
  /** Key prefix and tag scope: caches sharing a store and namespace share entries and tags. */
  readonly namespace?: string;
  /** Bump to make every earlier entry unreachable. */
  readonly version?: string | number;
  /** Default TTL. Default 5 minutes. */
  readonly ttl?: Duration;
  /** Default: type-faithful (Date, Map, Set, BigInt, undefined, NaN). */
  readonly serializer?: Serializer;
  readonly enabled?: boolean;
  readonly onEvent?: (e: CacheEvent) => void;
  /** Store operations slower than this fail open. Default 1 s. */
  readonly timeout?: Duration;
  /** Circuit breaker; `false` turns it off. Default `{ failures: 5, resetAfter: '5s' }`. */
  readonly breaker?: false | { readonly failures?: number; readonly resetAfter?: Duration };
  /** Where warnings go; `false` for none. Default `console.warn`. */
  readonly logger?: false | Logger;
  /**
   * Advanced, for tests: the clock and timers of the circuit breaker, the timeout sweep and lock
   * waits (`manualTimers()` of `tagcache/testing`). Default: the system's.
   */
  readonly timers?: Timers;
}

/**
 * A cache handle: an immutable value naming a store, a namespace and defaults.
 *
 * @example
 * ```ts
 * const cache = createCache({ namespace: 'app' });
 * await cache.set('user:1', { name: 'Ada' }, { tags: ['user:1'] });
 * await cache.invalidateTags(['user:1']);
 * ```
 */
export interface Cache extends KeyValueCache {
  readonly name: string;
  readonly store: Store;
  readonly namespace: string;
  readonly version: string;
  /** Default TTL in ms (`cache.ttl(key)` is the time left of one entry). */
  readonly defaultTtl: number;
  readonly serializer: Serializer;
  readonly enabled: boolean;
  /** Invalidates every entry carrying one of `tags`. */
  invalidateTags(tags: Iterable<string>, opts?: { readonly mode?: InvalidationMode }): Promise<void>;
  /** Removes every entry of this cache's namespace. */
  clear(): Promise<void>;
  /** The circuit breaker's state. */
  circuit(): 'open' | 'half-open' | 'closed';
  /** Closes the store (connections, timers). */
  close(): Promise<void>;
  readonly [runtimeOf]: Runtime;
}

let anonymous = 0;

/**
 * Creates a cache handle; with `name` it is also registered for `getCache(name)` and for the
 * `cache: 'name'` option.
 *
 * @example
 * ```ts
 * import { createCache, memoryStore } from 'tagcache';
 * const users = createCache({ name: 'users', store: memoryStore({ maxEntries: 5000 }), ttl: '10m' });
 * ```
 */
export function createCache(config: CacheConfig = {}): Cache {
  parseOptions(cacheConfigSchema, config, 'createCache');
  const name = config.name ?? `cache#${++anonymous}`;
  const store = config.store ?? newDefaultStore();
  const namespace = config.namespace ?? 'tc';
  const version = String(config.version ?? '1');
  const emit = makeEmitter(config);
  const trace = makeTracer(config);
  const timeout = toMs(config.timeout ?? 1000, 'timeout');
  const timers = config.timers ?? systemTimers;
  const guard = createStoreGuard({
    timeout,
    breaker: breakerOf(config.breaker),
    timers,
    sink: {
      error: (op, key, error) =>
        emit?.({ type: 'store-error', cache: name, op, ...(key === undefined ? {} : { key }), error }),
      circuit: (state) => emit?.({ type: 'circuit', cache: name, state }),
    },
  });
  const runtime: Runtime = Object.freeze({
    name,
    namespace,
    keyPrefix: `${version}:`,
    store,
    serializer: config.serializer ?? defaultSerializer,
    ttl: toMs(config.ttl ?? '5m', 'ttl'),
    enabled: config.enabled ?? true,
    timeout,
    timers,
    guard,
    emit,
    trace,
    inflight: new Map(),
  });
  const cache: Cache = Object.freeze({
    ...keyValueMethods(() => cache, runtime),
    name,
    store,
    namespace,
    version,
    defaultTtl: runtime.ttl,
    serializer: runtime.serializer,
    enabled: runtime.enabled,
    async invalidateTags(tags: Iterable<string>, opts: { readonly mode?: InvalidationMode } = {}) {
      const list = [...new Set(tags)];
      if (list.length === 0) return;
      const mode = opts.mode ?? 'drop';
      if (deferTags(cache, list, mode)) return;
      await guard.strict('invalidate', () => store.invalidate(namespace, list, mode));
      trace?.({ type: 'invalidate', cache: name, tags: list, mode });
    },
    async clear() {
      if (deferClear(cache)) return;
      await guard.strict('clear', () => store.clear(namespace));
      trace?.({ type: 'clear', cache: name });
    },
    circuit: () => guard.state(),
    async close() {
      guard.close();
      await store.close();
    },
    [runtimeOf]: runtime,
  });
  if (config.name !== undefined) register(cache);
  return cache;
}

function breakerOf(b: CacheConfig['breaker']): Required<BreakerOptions> | false {
  if (b === false) return false;
  return { failures: b?.failures ?? 5, resetAfter: toMs(b?.resetAfter ?? '5s', 'breaker.resetAfter') };
}

function makeTracer(config: CacheConfig): ((e: CacheEvent) => void) | undefined {
  const user = config.onEvent;
  if (user === undefined) return undefined;
  return (e) => {
    try {
      user(e);
    } catch {
      // a throwing listener must not break a cached call
    }
  };
}

function makeEmitter(config: CacheConfig): ((e: CacheEvent) => void) | undefined {
  const log =
    config.logger === false ? undefined : eventLogger(config.logger ?? ((line) => console.warn(line)));
  const user = config.onEvent;
  if (user === undefined) return log;
  if (log === undefined) return user;
  return (e) => {
    log(e);
    try {
      user(e);
    } catch {
      // a throwing listener must not break a cached call
    }
  };
}
