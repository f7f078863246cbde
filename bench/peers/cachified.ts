/**
 * @epic-web/cachified: the lru-cache adapter from its README, and cachified-redis-adapter (the
 * redis adapter its README points to) on a node-redis client.
 */
import { cachified, totalTtl, type Cache, type CacheEntry } from '@epic-web/cachified';
import { redisCacheAdapter } from 'cachified-redis-adapter';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import type { Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

/** The lru-cache adapter of cachified's README. */
function lruAdapter(): Cache {
  const lru = new LRUCache<string, CacheEntry>({ max: 10_000 });
  return {
    set(key, value) {
      const ttl = totalTtl(value?.metadata);
      return lru.set(key, value, {
        ...(ttl === Infinity ? {} : { ttl }),
        start: value?.metadata?.createdTime,
      });
    },
    get: (key) => lru.get(key),
    delete: (key) => lru.delete(key),
  };
}

function subject(
  name: string,
  cache: Cache,
  prefix: string,
  load: Loader,
  close: () => Promise<void>,
): Subject {
  return {
    name,
    role: 'peer',
    get: (key) => cachified({ key: prefix + key, cache, getFreshValue: () => load(key), ttl: TTL_MS }),
    close,
  };
}

/** cachified on lru-cache. */
export function cachifiedMemory(load: Loader): Subject {
  return subject('cachified lru-cache', lruAdapter(), '', load, () => Promise.resolve());
}

/** cachified on Redis (cachified-redis-adapter, node-redis client with its defaults). */
export async function cachifiedRedis(url: string, load: Loader): Promise<Subject> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return subject('cachified redis', redisCacheAdapter(client), 'cf:', load, () => client.close());
}
