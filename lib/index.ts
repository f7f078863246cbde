/**
 * tagcache: cache async functions and invalidate them exactly, by tags, by the entities in their
 * results and by the dependencies collected while they run.
 *
 * @packageDocumentation
 */

// Caches
export { createCache, type Cache, type CacheConfig } from './core/createCache.js';
export type { KeyValueCache, SetOptions, SetManyItem, GetOrSetOptions, CacheInfo } from './kv/types.js';
export { getCache } from './core/registry.js';
export { getOrCreateCache } from './core/getOrCreateCache.js';
export { configure, defaultCache, disableCaching, enableCaching, isCachingEnabled } from './core/defaults.js';
export { parseDuration, type Duration } from './core/duration.js';
export { FOREVER_MS, type Ttl, type TtlPreset, type TtlPresets } from './core/ttlPresets.js';
export type { Logger, LoggerObject } from './core/logger.js';
export type { Timers, TimerHandle } from './core/timers.js';

// Wrapping and composition
export { withCache, type LooseCacheOptions } from './core/withCache.js';
export { withTags, withResultTags, withEntities, withTtl, withKey } from './core/combinators.js';
export type { Cached, CacheOptions, CacheStats, CallInfo, EntryInfo, ErrorClass } from './core/types.js';
export type { StandardSchemaV1 } from './options/standardSchema.js';

// Dependencies collected while a cached function runs
export { addTags, setTtl, currentKey } from './core/context.js';
export { currentCache, addTagsTo } from './core/cacheContext.js';

// Synchronous functions (in-process stores)
export {
  withCacheSync,
  isSynchronousStore,
  type SyncCached,
  type SyncCacheOptions,
} from './sync/withCacheSync.js';

// Classes: decorators (TC39 and legacy experimentalDecorators) and the helpers of a decorated method
export { cached, type CachedMethodDecorator } from './decorators/cached.js';
export { cachedGetter, type CachedGetterDecorator } from './decorators/cachedGetter.js';
export { invalidates, type InvalidatesDecorator } from './decorators/invalidates.js';
export { cachedMethod, type CachedMember } from './decorators/cachedMethod.js';

// Entities and tags
export { entity } from './core/entity.js';
export { entityTag, type EntityExtractor, type EntityOptions } from './entities/entity.js';
export type { TagList } from './tags/tagSources.js';

// Invalidation and the write side
export {
  invalidateTag,
  invalidateTags,
  invalidateEntity,
  clear,
  type InvalidateOptions,
} from './invalidation/invalidate.js';
export { withInvalidation, type InvalidationOptions, type Recache } from './invalidation/withInvalidation.js';
export { deferInvalidations } from './invalidation/deferInvalidations.js';
export { resource, type Resource } from './invalidation/resource.js';
export type { EvictOptions } from './kv/evictKeys.js';

// Batches
export { withBatch, type Batched, type BatchOptions } from './batch/withBatch.js';
export type { BatchFn } from './batch/loadMany.js';

// Keys
export { cacheKey } from './keys/index.js';

// Stores
export type {
  Store,
  StoreHit,
  DecodedSlot,
  StoreMiss,
  ReadResult,
  ReadTarget,
  WriteEntry,
  StoreLock,
  Epoch,
  EntryState,
  InvalidationMode,
  ManyWrite,
  StoreInfo,
} from './stores/Store.js';
export { memoryStore, type MemoryStore, type MemoryStoreOptions } from './stores/memoryStore.js';
export { nullStore } from './stores/nullStore.js';
export { fileStore, type FileStoreOptions } from './stores/fileStore.js';
export { storeFromUrl } from './stores/storeFromUrl.js';
export { redisStore, type RedisConnection } from './stores/redisStore.js';
export { redisClusterStore, type RedisClusterConnection } from './stores/redisClusterStore.js';
export type { RedisStoreOptions } from './stores/redis/options.js';

// The edge: core/ never imports a concrete store; the entry installs the defaults (memory, or
// the store TAGCACHE_URL names) once, when the package loads. See ARCHITECTURE.md.
import { installStoreDefaults } from './core/defaultStores.js';
import { memoryStore as defaultMemoryStore } from './stores/memoryStore.js';
import { storeFromUrl as defaultStoreFromUrl } from './stores/storeFromUrl.js';
installStoreDefaults({ memory: () => defaultMemoryStore(), fromUrl: (url) => defaultStoreFromUrl(url) });

// Serializers
export { defaultSerializer, jsonSerializer, type Serializer } from './serializers/index.js';

// Events, metrics, tracing and errors
export type { CacheEvent, CacheEventType, CacheEventOf, StoreOp } from './events/CacheEvent.js';
export type { CacheListener } from './events/eventHub.js';
export type { CallProbe } from './events/probe.js';
export { tracingChannels, type TraceKind, type TraceContext } from './events/tracingChannels.js';
export { getMetrics, resetMetrics, type Metrics } from './metrics/getMetrics.js';
export type { CacheMetrics, FunctionMetrics } from './metrics/metricsCollector.js';
export type { TimingSummary } from './metrics/histogram.js';
export { ENVIRONMENT_VARIABLES, readEnvironment, type Environment } from './config/env.js';
export {
  errors,
  TagcacheError,
  InvalidOptionsError,
  UnknownCacheError,
  InvalidKeyError,
  StoreError,
  SerializationError,
  TimeoutError,
} from './errors.js';
