/**
 * `tagcache/redis`: the Redis and Redis Cluster stores (node-redis, the optional `redis` peer
 * dependency). Install it next to tagcache: `npm install redis`.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { redisStore } from 'tagcache/redis';
 * const cache = createCache({ store: redisStore({ url: 'redis://localhost:6379' }), namespace: 'app' });
 * ```
 *
 * @packageDocumentation
 */
export { redisStore, type RedisConnection } from './stores/redisStore.js';
export {
  redisClusterStore,
  DEFAULT_CLUSTER_GROUPS,
  type RedisClusterConnection,
} from './stores/redisClusterStore.js';
export { storeFromUrl } from './stores/storeFromUrl.js';
export type { RedisStoreOptions } from './stores/redis/options.js';
export type { RedisStore } from './stores/redis/scriptedStore.js';
export type { RedisClientOptionsLike } from './stores/redis/connectors.js';
export type { RedisClientLike, RedisClusterLike, RedisCommandOptions } from './stores/redis/clientTypes.js';
export {
  tieredStore,
  type TieredStore,
  type TieredStoreOptions,
  type TieredBusConnection,
} from './stores/tiered/tieredStore.js';
