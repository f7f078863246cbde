import { deferClear, deferTags } from './deferral.js';
import { newDefaultStore } from './defaultStores.js';
import { toMs, type Duration } from './duration.js';
import { linkHandle } from './handleOf.js';
import { eventLogger, type Logger } from './logger.js';
import { assertNameFree, register, unregister } from './registry.js';
import { createEventHub, type CacheListener, type EventHub } from '../events/eventHub.js';
import { logLevels } from '../events/logLevels.js';
import { recordClear, recordInvalidate, startTimer } from '../events/record.js';
import { recordCircuit, recordStoreError } from '../events/recordProblems.js';
import { metricsCollectorFor } from '../metrics/getMetrics.js';
import { runtimeOf, type Runtime } from './runtime.js';
import { createStoreGuard } from './storeGuard.js';
import { systemTimers, type Timers } from './timers.js';
import { ttlMs, ttlPresetsOf, type Ttl, type TtlPreset } from './ttlPresets.js';
import { parseOptions } from '../options/parseOptions.js';
import { cacheConfigSchema } from '../options/schemas.js';
import { defaultSerializer } from '../serializers/index.js';
import type { BreakerOptions } from './circuitBreaker.js';
import type { CacheEvent, CacheEventType } from '../events/CacheEvent.js';
import type { Serializer } from '../serializers/Serializer.js';
import type { InvalidationMode, Store } from '../stores/Store.js';
import { keyValueMethods } from '../kv/keyValueMethods.js';
import type { KeyValueCache } from '../kv/types.js';
import { tagsOf, type TagList } from '../tags/tagSources.js';

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
  /** Default TTL: a duration, a preset or `'forever'`. Default: the `'default'` preset (5 minutes). */
  readonly ttl?: Ttl;
  /** Caps every TTL of this cache: `ttl` options and functions, `setTtl`, `'forever'`. */
  readonly maxTtl?: Duration;
  /**
   * The presets `ttl: 'short' | 'default' | 'long'` stand for. Default: `TAGCACHE_TTL_SHORT`,
   * `TAGCACHE_TTL_DEFAULT`, `TAGCACHE_TTL_LONG`, else 30 s, 5 min, 1 h.
   */
  readonly ttlPresets?: Partial<Record<TtlPreset, Duration>>;
  /** Default: type-faithful (Date, Map, Set, BigInt, undefined, NaN). */
  readonly serializer?: Serializer;
  readonly enabled?: boolean;
  /** A listener of every event (more with `cache.on(type, listener)`). */
  readonly onEvent?: (e: CacheEvent) => void;
  /** One log line per hit, miss, write, refused write, invalidation and store error, at debug level. */
  readonly debug?: boolean;
  /** Count this cache in `getMetrics()` (hits, misses, compute time, …). Default `false`. */
  readonly metrics?: boolean;
  /** Store operations slower than this fail open. Default 1 s. */
  readonly timeout?: Duration;
  /** Circuit breaker; `false` turns it off. Default `{ failures: 5, resetAfter: '5s' }`. */
  readonly breaker?: false | { readonly failures?: number; readonly resetAfter?: Duration };
  /**
   * Where warnings (`warn`) and debug lines (`debug`) go: `console`, a pino logger, a function;
   * `false` for none. Default `console`.
   */
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
 * await cache.ready(); // connects now (a remote store), rejecting with the real cause
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
  /** Invalidates every entry carrying one of `tags` (one tag as a string, or an iterable). */
  invalidateTags(tags: TagList, opts?: { readonly mode?: InvalidationMode }): Promise<void>;
  /** Removes every entry of this cache's namespace. */
  clear(): Promise<void>;
  /**
   * Connects the store now (Redis: loads the driver, connects, PINGs) and rejects with the real
   * cause (wrong password, closed port, missing `redis` package): for apps that want to fail
   * fast at start-up. Without it the first operation connects, outside its `timeout`. In-process
   * stores are always ready.
   */
  ready(): Promise<void>;
  /** The circuit breaker's state. */
  circuit(): 'open' | 'half-open' | 'closed';
  /**
   * Subscribes `listener` to the events of `type` (`'*'`: all); returns the function that
   * unsubscribes it. A listener that throws is reported once and stays subscribed.
   */
  on<T extends CacheEventType | '*'>(type: T, listener: CacheListener<T>): () => void;
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
  return createRegisteredCache(config, false);
}

/**
 * {@link createCache}, where `replaces` says whether a cache already registered under the name
 * is replaced (`configure`) or makes it throw (everyone else). Internal.
 */
export function createRegisteredCache(config: CacheConfig, replaces: boolean): Cache {
  parseOptions(cacheConfigSchema, config, 'createCache');
  if (config.name !== undefined && !replaces) assertNameFree(config.name);
  const name = config.name ?? `cache#${++anonymous}`;
  const store = config.store ?? newDefaultStore();
  const namespace = config.namespace ?? 'tc';
  const version = String(config.version ?? '1');
  const events = hubFor(config, name);
  const timeout = toMs(config.timeout ?? 1000, 'timeout');
  const timers = config.timers ?? systemTimers;
  const ttlPresets = ttlPresetsOf(config.ttlPresets);
  const maxTtl = config.maxTtl === undefined ? Infinity : toMs(config.maxTtl, 'maxTtl');
  const guard = createStoreGuard({
    timeout,
    breaker: breakerOf(config.breaker),
    timers,
    connect: store.ready === undefined ? undefined : () => store.ready!(),
    sink: {
      error: (op, key, error) => recordStoreError(events, op, key, error),
      circuit: (state) => recordCircuit(events, state),
    },
  });
  const runtime: Runtime = Object.freeze({
    name,
    namespace,
    keyPrefix: `${version}:`,
    store,
    serializer: config.serializer ?? defaultSerializer,
    ttl: Math.min(ttlMs(config.ttl ?? 'default', ttlPresets, 'ttl'), maxTtl),
    maxTtl,
    ttlPresets,
    enabled: config.enabled ?? true,
    timeout,
    timers,
    guard,
    events,
    emit: events.publish,
    names: new Map(),
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
    async invalidateTags(tags: TagList, opts: { readonly mode?: InvalidationMode } = {}) {
      const list = [...new Set(tagsOf(tags, 'invalidateTags'))];
      if (list.length === 0) return;
      const mode = opts.mode ?? 'drop';
      if (deferTags(cache, list, mode)) return;
      const t0 = startTimer(events);
      await events.around(
        'invalidate',
        () => ({ cache: name, tags: list, mode }),
        () => guard.strict('invalidate', () => store.invalidate(namespace, list, mode)),
      );
      recordInvalidate(events, list, mode, t0);
    },
    async clear() {
      if (deferClear(cache)) return;
      const t0 = startTimer(events);
      await events.around(
        'invalidate',
        () => ({ cache: name, clear: true }),
        () => guard.strict('clear', () => store.clear(namespace)),
      );
      recordClear(events, t0);
    },
    ready: () => guard.ready(),
    circuit: () => guard.state(),
    on: events.on,
    async close() {
      unregister(cache);
      guard.close();
      events.close();
      await store.close();
    },
    [runtimeOf]: runtime,
  });
  linkHandle(runtime, cache);
  if (config.name !== undefined) register(cache, replaces);
  return cache;
}

function breakerOf(b: CacheConfig['breaker']): Required<BreakerOptions> | false {
  if (b === false) return false;
  return { failures: b?.failures ?? 5, resetAfter: toMs(b?.resetAfter ?? '5s', 'breaker.resetAfter') };
}

/** The event hub of a cache: warnings to the logger, debug lines, `onEvent`, metrics. */
function hubFor(config: CacheConfig, name: string): EventHub {
  const log = logLevels(config.logger);
  return createEventHub({
    cache: name,
    onEvent: config.onEvent,
    warn: log === undefined ? undefined : eventLogger(log.warn),
    log,
    debug: config.debug ?? false,
    metrics: config.metrics === true ? metricsCollectorFor(name).sink : undefined,
  });
}
