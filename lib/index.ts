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
export { configure, defaultCache, disableCaching, enableCaching, isCachingEnabled } from './core/defaults.js';
export { parseDuration, type Duration } from './core/duration.js';
export type { Logger } from './core/logger.js';
export type { Timers, TimerHandle } from './core/timers.js';

// Wrapping and composition
export { withCache, type LooseCacheOptions } from './core/withCache.js';
export { withTags, withResultTags, withEntities, withTtl, withKey } from './core/combinators.js';
export type { Cached, CacheOptions, CacheStats, EntryInfo, ErrorClass } from './core/types.js';
export type { StandardSchemaV1 } from './options/standardSchema.js';

// Dependencies collected while a cached function runs
export { addTags, setTtl, currentKey } from './core/context.js';

// Entities and tags
export { entity, entityTag, type EntityExtractor, type EntityOptions } from './entities/entity.js';

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
  StoreMiss,
  ReadResult,
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

// Events and errors
export type { CacheEvent, CacheEventType, StoreOp } from './events/CacheEvent.js';
export {
  errors,
  TagcacheError,
  InvalidOptionsError,
  UnknownCacheError,
  InvalidKeyError,
  StoreError,
  SerializationError,
} from './errors.js';
