/**
 * The Redis Cluster store on node-redis.
 *
 * @packageDocumentation
 */
import { InvalidOptionsError } from '../errors.js';
import { checkConnection } from '../options/redisStoreSchemas.js';
import type { RedisClusterLike } from './redis/clientTypes.js';
import { injectedCluster, nodesCluster, type RedisClientOptionsLike } from './redis/connectors.js';
import { clusterLink } from './redis/link.js';
import { resolveOptions, type RedisStoreOptions } from './redis/options.js';
import { scriptedStore, type RedisStore } from './redis/scriptedStore.js';

/** Default number of groups per namespace on a cluster (≥ 16 per master up to 4 masters). */
export const DEFAULT_CLUSTER_GROUPS = 64;

/**
 * Where {@link redisClusterStore} connects: root nodes (the store creates and closes the cluster
 * client) or a node-redis cluster client of yours (never closed by the store).
 *
 * @example
 * ```ts
 * const byNodes: RedisClusterConnection = { rootNodes: ['redis://10.0.0.1:7000', '10.0.0.2:7000'] };
 * const byClient: RedisClusterConnection = { client: createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }] }) };
 * ```
 */
export type RedisClusterConnection =
  | {
      /** Some nodes of the cluster: `redis://[user:pass@]host:port`, `rediss://…`, or `host:port`. */
      readonly rootNodes: readonly (string | { readonly url: string })[];
      /** More options for node-redis' `createCluster` (`defaults`, `useReplicas`, …). */
      readonly clusterOptions?: RedisClientOptionsLike;
    }
  | { readonly client: RedisClusterLike };

/**
 * Normalizes a root node to a URL: `host:port` becomes `redis://host:port`.
 *
 * @example
 * ```ts
 * nodeUrl('10.0.0.1:7000'); // 'redis://10.0.0.1:7000'
 * ```
 */
export function nodeUrl(node: string | { readonly url: string }): string {
  const url = typeof node === 'string' ? node : node?.url;
  if (typeof url !== 'string' || url.length === 0)
    throw new InvalidOptionsError('rootNodes', `bad node ${JSON.stringify(node)}`);
  if (/^rediss?:\/\//i.test(url)) return url;
  if (/^[^/:]+:\d+$/.test(url) || /^\[[0-9a-f:]+\]:\d+$/i.test(url)) return `redis://${url}`;
  throw new InvalidOptionsError(
    'rootNodes',
    `expected redis://host:port, rediss://host:port or host:port, got ${JSON.stringify(url)}`,
  );
}

/**
 * A store on a Redis Cluster. Each namespace is split into `groups` hash-tagged groups spread
 * evenly over the slot space; every script touches one slot (never a cross-slot command), and an
 * invalidation sends one pipelined batch per master. Needs node-redis 6 (tested: 6.3.1, which
 * follows a failover to a promoted replica). Connection, `ready()` and `close()` behave as for
 * `redisStore`; node connections the store creates are unref'd.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { redisClusterStore } from 'tagcache/redis';
 * const cache = createCache({ store: redisClusterStore({ rootNodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] }) });
 * ```
 */
export function redisClusterStore(
  connection: RedisClusterConnection,
  options: RedisStoreOptions = {},
): RedisStore {
  checkConnection(connection, 'cluster', 'redisClusterStore');
  const settings = resolveOptions(options, DEFAULT_CLUSTER_GROUPS, 'redisClusterStore');
  const connector =
    'client' in connection
      ? injectedCluster(connection.client)
      : nodesCluster(connection.rootNodes.map(nodeUrl), connection.clusterOptions ?? {}, settings);
  return scriptedStore({
    kind: 'redis-cluster',
    link: clusterLink(connector),
    prefix: settings.prefix,
    groups: settings.groups,
    markerMargin: settings.markerMargin,
  });
}
