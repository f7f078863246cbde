/**
 * Stores on the suite's Redis servers (see globalSetup), for tests.
 */
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { RedisStoreOptions } from '../../lib/stores/redis/options.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import type { Store } from '../../lib/stores/Store.js';
import { CLUSTER_NODES_ENV, REDIS_URL_ENV } from './redisServers.js';

/** The standalone test server's URL (set by globalSetup). */
export function testRedisUrl(): string {
  const url = process.env[REDIS_URL_ENV];
  if (!url)
    throw new Error(
      `${REDIS_URL_ENV} is not set: run the tests through jest (globalSetup starts redis-server)`,
    );
  return url;
}

/** The test cluster's `host:port` nodes (set by globalSetup). */
export function testClusterNodes(): string[] {
  const nodes = process.env[CLUSTER_NODES_ENV];
  if (!nodes)
    throw new Error(
      `${CLUSTER_NODES_ENV} is not set: run the tests through jest (globalSetup starts the cluster)`,
    );
  return nodes.split(',');
}

/** A store on the standalone test server. */
export function testRedisStore(options: RedisStoreOptions = {}): RedisStore {
  return redisStore({ url: testRedisUrl() }, options);
}

/** A store on the test cluster. */
export function testClusterStore(options: RedisStoreOptions = {}): RedisStore {
  return redisClusterStore({ rootNodes: testClusterNodes() }, options);
}

/** A namespace no other test uses. */
export function uniqueNamespace(label = 'test'): string {
  return `${label}:${Math.random().toString(36).slice(2, 10)}`;
}

export type { Store };
