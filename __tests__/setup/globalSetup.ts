/**
 * Jest global setup: starts one standalone redis-server and one 3-master Redis Cluster on free
 * ports and publishes them to the test workers through environment variables
 * (`TAGCACHE_TEST_REDIS_URL`, `TAGCACHE_TEST_CLUSTER_NODES`). globalTeardown stops them.
 */
import { createRequire } from 'node:module';

/**
 * Jest loads global setup files with Node's own resolver (no moduleNameMapper), which cannot map
 * the `./x.js` specifiers that TypeScript (NodeNext) wants onto `./x.ts`; so load the helper by
 * its real file name.
 */
const loadServers = (): typeof import('./redisServers.js') => createRequire(__filename)('./redisServers.ts');

export default async function globalSetup(): Promise<void> {
  const {
    requireRedisBinaries,
    startRedisServer,
    startRedisCluster,
    keepSuiteServers,
    REDIS_URL_ENV,
    CLUSTER_NODES_ENV,
  } = loadServers();
  requireRedisBinaries();
  const [server, cluster] = await Promise.allSettled([startRedisServer(), startRedisCluster(3)]);
  if (server.status === 'rejected' || cluster.status === 'rejected') {
    if (server.status === 'fulfilled') await server.value.destroy();
    if (cluster.status === 'fulfilled') await cluster.value.destroy();
    throw server.status === 'rejected' ? server.reason : (cluster as PromiseRejectedResult).reason;
  }
  keepSuiteServers({ server: server.value, cluster: cluster.value });
  process.env[REDIS_URL_ENV] = server.value.url;
  process.env[CLUSTER_NODES_ENV] = cluster.value.hosts.join(',');
}
