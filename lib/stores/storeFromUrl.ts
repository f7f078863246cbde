/**
 * A store from a URL: the forms `TAGCACHE_URL` accepts.
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import { InvalidOptionsError } from '../errors.js';
import { fileStore } from './fileStore.js';
import { memoryStore } from './memoryStore.js';
import { nullStore } from './nullStore.js';
import { redisClusterStore } from './redisClusterStore.js';
import { redisStore } from './redisStore.js';
import type { RedisStoreOptions } from './redis/options.js';
import type { Store } from './Store.js';
import { tieredFromUrl } from './tiered/fromUrl.js';

const URL_FORMS =
  'memory://, redis://…, rediss://…, redis-cluster://host:port,host:port, file:///dir or null://';

const badUrl = (url: string, why: string): InvalidOptionsError =>
  new InvalidOptionsError('url', `${why} in ${JSON.stringify(redact(url))}; expected ${URL_FORMS}`);

/** Hides the password of a URL in error messages. */
function redact(url: string): string {
  return url.replace(/^([a-z-]+:\/\/[^:@/]*:)[^@]*@/i, '$1***@');
}

function positiveInt(url: string, params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidOptionsError(name, `must be a positive integer in ${JSON.stringify(redact(url))}`);
  return n;
}

/** tagcache's own parameters of a Redis URL, with the store option each one sets. */
const REDIS_PARAMS = ['groups', 'prefix', 'markerMargin', 'closeTimeout'] as const;

/** `'500'` is 500 ms; `'5m'` stays a duration string (the store's schema checks it). */
const durationParam = (raw: string): number | string => (/^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);

/** Splits `?groups=…&prefix=…&markerMargin=…&closeTimeout=…` (tagcache's own parameters) off a Redis URL. */
function redisParams(url: string): { base: string; options: RedisStoreOptions } {
  const q = url.indexOf('?');
  if (q < 0) return { base: url, options: {} };
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of params.keys())
    if (!(REDIS_PARAMS as readonly string[]).includes(name))
      throw new InvalidOptionsError(
        name,
        `unknown parameter "${name}" in ${JSON.stringify(redact(url))}; Redis URLs take ${REDIS_PARAMS.join(', ')}`,
      );
  const groups = positiveInt(url, params, 'groups');
  const prefix = params.get('prefix');
  const margin = params.get('markerMargin');
  const close = params.get('closeTimeout');
  return {
    base: url.slice(0, q),
    options: {
      ...(groups === undefined ? {} : { groups }),
      ...(prefix === null ? {} : { prefix }),
      ...(margin === null ? {} : { markerMargin: durationParam(margin) }),
      ...(close === null ? {} : { closeTimeout: durationParam(close) }),
    },
  };
}

function memoryFromUrl(url: string): Store {
  const q = url.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const maxEntries = positiveInt(url, params, 'maxEntries');
  const maxBytes = positiveInt(url, params, 'maxBytes');
  return memoryStore({
    ...(maxEntries === undefined ? {} : { maxEntries }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
}

/**
 * Where a Redis URL points, and tagcache's parameters of it (`?groups=…&prefix=…`).
 *
 * @example
 * ```ts
 * const t: RedisUrlTarget = { cluster: false, url: 'redis://localhost:6379', options: { groups: 1 } };
 * ```
 */
export type RedisUrlTarget =
  | { readonly cluster: false; readonly url: string; readonly options: RedisStoreOptions }
  | { readonly cluster: true; readonly rootNodes: readonly string[]; readonly options: RedisStoreOptions };

/** `redis-cluster://[user:pass@]h:p,h:p[?…]` (or `rediss-cluster://` for TLS). */
function clusterTarget(url: string, tls: boolean): RedisUrlTarget {
  const { base, options } = redisParams(url);
  const rest = base.slice(base.indexOf('://') + 3).replace(/\/$/, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at + 1) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).split(',').filter((h) => h.length > 0);
  if (hosts.length === 0 || hosts.some((h) => !/^[^/:@]+:\d+$/.test(h)))
    throw badUrl(url, 'expected host:port[,host:port…]');
  const scheme = tls ? 'rediss://' : 'redis://';
  return { cluster: true, rootNodes: hosts.map((h) => scheme + auth + h), options };
}

const schemeOf = (url: string): string | undefined =>
  /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim())?.[1]?.toLowerCase();

/**
 * Parses a `redis://`, `rediss://`, `redis-cluster://` or `rediss-cluster://` URL as
 * {@link storeFromUrl} does (same errors); `undefined` for any other scheme.
 *
 * @example
 * ```ts
 * redisUrlTarget('redis://localhost:6379?groups=4'); // { cluster: false, url: 'redis://localhost:6379', options: { groups: 4 } }
 * ```
 */
export function redisUrlTarget(url: string): RedisUrlTarget | undefined {
  const scheme = schemeOf(url);
  if (scheme === 'redis' || scheme === 'rediss') {
    const { base, options } = redisParams(url.trim());
    return { cluster: false, url: base, options };
  }
  if (scheme === 'redis-cluster' || scheme === 'rediss-cluster')
    return clusterTarget(url.trim(), scheme === 'rediss-cluster');
  return undefined;
}

/**
 * Creates the store a URL names:
 * - `memory://` (optionally `?maxEntries=10000&maxBytes=…`): the in-process store;
 * - `redis://[user:pass@]host[:port][/db]`, `rediss://…` (TLS): a Redis server;
 * - `redis-cluster://[user:pass@]host:port,host:port`, `rediss-cluster://…`: a Redis Cluster;
 *   Redis URLs take `?groups=N&prefix=P&markerMargin=10m&closeTimeout=2s` (see `RedisStoreOptions`;
 *   any other parameter is an `InvalidOptionsError` naming it);
 * - `file:///absolute/dir`: the file store; `null://`: caches nothing.
 *
 * The `redis` package is imported only when a Redis store is created; the connection is made by
 * the first operation or by `await store.ready()`. Such a store owns its client (`ownsClient`):
 * it does not keep the process alive, and `close()` releases it.
 *
 * @example
 * ```ts
 * import { createCache, storeFromUrl } from 'tagcache';
 * const cache = createCache({ store: storeFromUrl(process.env.TAGCACHE_URL ?? 'memory://') });
 * ```
 */
export function storeFromUrl(url: string): Store {
  if (typeof url !== 'string') throw new InvalidOptionsError('url', `expected a string, got ${typeof url}`);
  const scheme = schemeOf(url);
  if (scheme?.startsWith('tiered+')) return tieredFromUrl(url, storeFromUrl);
  switch (scheme) {
    case 'memory':
      return memoryFromUrl(url);
    case 'null':
      return nullStore();
    case 'file':
      return fileStore({ dir: fileURLToPath(url) });
    case 'redis':
    case 'rediss':
    case 'redis-cluster':
    case 'rediss-cluster': {
      const t = redisUrlTarget(url) as RedisUrlTarget;
      return t.cluster
        ? redisClusterStore({ rootNodes: t.rootNodes }, t.options)
        : redisStore({ url: t.url }, t.options);
    }
    default:
      throw badUrl(url, scheme === undefined ? 'no scheme' : `unknown scheme "${scheme}"`);
  }
}
