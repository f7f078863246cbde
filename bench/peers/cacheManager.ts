/**
 * cache-manager 7: `createCache()` (Keyv in memory) and `createCache({ stores: [createKeyv(url)] })`
 * (@keyv/redis), `wrap`.
 */
import { createKeyv } from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import type { Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

function subject(name: string, cache: Cache, load: Loader): Subject {
  return {
    name,
    role: 'peer',
    get: (key) => cache.wrap(key, () => load(key), TTL_MS),
    close: async () => void (await cache.disconnect()),
  };
}

/** cache-manager with its default in-memory Keyv store. */
export function cacheManagerMemory(load: Loader): Subject {
  return subject('cache-manager memory', createCache(), load);
}

/** cache-manager on Redis through @keyv/redis. */
export function cacheManagerRedis(url: string, load: Loader): Subject {
  return subject('cache-manager @keyv/redis', createCache({ stores: [createKeyv(url)] }), load);
}
