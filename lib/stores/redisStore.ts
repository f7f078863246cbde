/**
 * The Redis store (single server) on node-redis.
 *
 * @packageDocumentation
 */
import { checkConnection } from '../options/redisStoreSchemas.js';
import type { RedisClientLike } from './redis/clientTypes.js';
import { injectedClient, urlClient, type RedisClientOptionsLike } from './redis/connectors.js';
import { clientLink } from './redis/link.js';
import { resolveOptions, type RedisSettings, type RedisStoreOptions } from './redis/options.js';
import { scriptedStore, type RedisStore } from './redis/scriptedStore.js';

/**
 * Where {@link redisStore} connects: a URL (the store creates, connects and closes the client) or
 * a node-redis client of yours (connected on first use if needed, never closed by the store).
 *
 * @example
 * ```ts
 * const byUrl: RedisConnection = { url: 'rediss://user:secret@cache.example.com:6380/0' };
 * const byClient: RedisConnection = { client: createClient({ url: 'redis://localhost:6379' }) };
 * ```
 */
export type RedisConnection =
  | {
      /** `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. */
      readonly url: string;
      /** More options for node-redis' `createClient` (e.g. `{ socket: { ca } }`). */
      readonly clientOptions?: RedisClientOptionsLike;
    }
  | { readonly client: RedisClientLike };

function connector(connection: RedisConnection, settings: RedisSettings) {
  if ('client' in connection) return injectedClient(connection.client);
  return urlClient(connection.url, connection.clientOptions ?? {}, settings);
}

/**
 * A store on one Redis server (node-redis 6, the optional `redis` peer dependency, whose import
 * starts here). Synchronous: the first operation (or `await store.ready()`, which rejects with the
 * real cause of a failure) waits for the connection. A client the store creates does not keep
 * the process alive and is closed by `close()` within `closeTimeout`. Lua scripts make
 * each operation atomic; a hit is one command; tag invalidation costs one command whatever the
 * number of entries carrying the tag. Payloads are strings (`holdsValues: false`).
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { redisStore } from 'tagcache/redis';
 * const store = redisStore({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' }, { closeTimeout: '3s' });
 * await store.ready(); // optional: fail fast at start-up (wrong password, closed port, …)
 * const cache = createCache({ store });
 * ```
 */
export function redisStore(connection: RedisConnection, options: RedisStoreOptions = {}): RedisStore {
  checkConnection(connection, 'client', 'redisStore');
  const settings = resolveOptions(options, 1, 'redisStore');
  return scriptedStore({
    kind: 'redis',
    link: clientLink(connector(connection, settings)),
    prefix: settings.prefix,
    groups: settings.groups,
    markerMargin: settings.markerMargin,
  });
}
