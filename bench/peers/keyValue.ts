/**
 * Key-value subjects: `getOrSet(key, fn)` hits and a read of 100 keys at once, in tagcache
 * (`cache.getOrSet`, `cache.getMany`), bentocache (`getOrSet`; no many-key read, so 100 `get`
 * calls at once) and cache-manager (`wrap`, `mget`).
 */
import { createKeyv } from '@keyv/redis';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { createCache as createCacheManager } from 'cache-manager';
import { Redis } from 'ioredis';
import { createCache, memoryStore } from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';
import { makeValue } from '../lib/fixtures.js';
import { TTL_MS } from '../lib/subject.js';

/** One library, seen through the two key-value operations measured. */
export interface KeyValueSubject {
  readonly name: string;
  /** Resolves once the connection is up (so that no measured call pays for it). */
  ready(): Promise<void>;
  getOrSet(key: string): Promise<unknown>;
  getMany(keys: readonly string[]): Promise<unknown[]>;
  setMany(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const load = async (key: string): Promise<unknown> => makeValue(key);

/** tagcache on a memory store or on Redis. */
export function tagcacheKv(url: string | undefined, space: string): KeyValueSubject {
  const cache = createCache({
    store: url ? redisStore({ url }) : memoryStore(),
    namespace: space,
    ttl: TTL_MS,
    logger: false,
    // The peers have no store timeout; on a starved machine a 1 s one fails reads open mid-run.
    timeout: '10s',
  });
  return {
    name: url ? 'tagcache redis' : 'tagcache memory',
    ready: async () => {
      // the first connection may take longer than the 1 s store timeout on a loaded machine
      for (let i = 0; i < 10; i++)
        if (
          await cache.ping().then(
            () => true,
            () => false,
          )
        )
          return;
    },
    getOrSet: (key) => cache.getOrSet(key, () => load(key)),
    getMany: (keys) => cache.getMany(keys),
    setMany: (keys) => cache.setMany(keys.map((key) => ({ key, value: makeValue(key) }))),
    close: () => cache.close(),
  };
}

/** bentocache with its memory driver (L1 only) or its redis driver (L2 only). */
export async function bentoKv(url: string | undefined, space: string): Promise<KeyValueSubject> {
  const connection = url ? new Redis(url, { lazyConnect: true }) : undefined;
  await connection?.connect();
  const store = connection
    ? bentostore().useL2Layer(redisDriver({ connection }))
    : bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 }));
  const bento = new BentoCache({ default: 'c', prefix: space, stores: { c: store } });
  return {
    name: url ? 'bentocache redis' : 'bentocache memory',
    ready: () => Promise.resolve(),
    getOrSet: (key) => bento.getOrSet({ key, factory: () => load(key), ttl: TTL_MS }),
    getMany: (keys) => Promise.all(keys.map((key) => bento.get({ key }))),
    setMany: async (keys) =>
      void (await Promise.all(keys.map((key) => bento.set({ key, value: makeValue(key), ttl: TTL_MS })))),
    close: async () => {
      await bento.disconnect();
      connection?.disconnect();
    },
  };
}

/** cache-manager 7 in memory (Keyv) or on @keyv/redis. */
export function cacheManagerKv(url: string | undefined, space: string): KeyValueSubject {
  const cache = url
    ? createCacheManager({ stores: [createKeyv(url, { namespace: space })] })
    : createCacheManager();
  return {
    name: url ? 'cache-manager @keyv/redis' : 'cache-manager memory',
    ready: async () => void (await cache.get('ready')),
    getOrSet: (key) => cache.wrap(key, () => load(key), TTL_MS),
    getMany: (keys) => cache.mget([...keys]),
    setMany: async (keys) =>
      void (await cache.mset(keys.map((key) => ({ key, value: makeValue(key), ttl: TTL_MS })))),
    close: async () => void (await cache.disconnect()),
  };
}
