/**
 * The Redis store (single server) on node-redis.
 *
 * @packageDocumentation
 */
import { InvalidOptionsError } from '../errors.js';
import type { RedisClientLike } from './redis/clientTypes.js';
import { injectedClient, urlClient, type RedisClientOptionsLike } from './redis/connectors.js';
import { clientLink } from './redis/link.js';
import { resolveOptions, type RedisStoreOptions } from './redis/options.js';
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

const REDIS_URL = /^rediss?:\/\//i;

function connector(connection: RedisConnection, onError: (e: Error) => void) {
  if ('client' in connection) return injectedClient(connection.client);
  if (typeof connection.url !== 'string' || !REDIS_URL.test(connection.url)) {
    throw new InvalidOptionsError(
      'url',
      `expected redis://… or rediss://…, got ${JSON.stringify(connection.url)}`,
    );
  }
  return urlClient(connection.url, connection.clientOptions ?? {}, onError);
}

/**
 * A store on one Redis server (node-redis, the optional `redis` peer dependency, loaded on the
 * first operation). Synchronous: the first operation waits for the connection. Lua scripts make
 * each operation atomic; a hit is one command; tag invalidation costs one command whatever the
 * number of entries carrying the tag. Payloads are strings (`holdsValues: false`).
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { redisStore } from 'tagcache/redis';
 * const cache = createCache({ store: redisStore({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' }) });
 * ```
 */
export function redisStore(connection: RedisConnection, options: RedisStoreOptions = {}): RedisStore {
  const settings = resolveOptions(options, 1);
  return scriptedStore({
    kind: 'redis',
    link: clientLink(connector(connection, settings.onError)),
    prefix: settings.prefix,
    groups: settings.groups,
    markerMargin: settings.markerMargin,
  });
}
