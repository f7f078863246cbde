/**
 * tagcache on a class, as a repository is written: a method decorated with `@cached` (one
 * instance, identified by its `id`), and a synchronous function wrapped with `withCacheSync`.
 * Same store, TTL and key name as `tagcacheMemory`, so the rows compare the call paths only.
 */
import { cached, createCache, memoryStore, withCacheSync } from '../../lib/index.js';
import { TTL_MS, type Subject } from '../lib/subject.js';
import type { Loader } from '../lib/fixtures.js';

/** `@cached` on an instance method of a repository with an `id`: the per-instance key path (`liveValues`: without the copy of a hit). */
export function tagcacheDecorated(load: Loader, liveValues = false): Subject {
  const store = memoryStore({ maxEntries: 10_000, ...(liveValues ? { liveValues: true } : {}) });
  const cache = createCache({ store, namespace: 'bench', ttl: TTL_MS });
  class ItemRepo {
    readonly id = 'main';
    @cached({ cache, name: 'item' })
    async item(key: string): Promise<unknown> {
      return load(key);
    }
  }
  const repo = new ItemRepo();
  return {
    name: `tagcache memory${liveValues ? ', live values' : ''}, @cached method`,
    role: 'tagcache',
    get: (key) => repo.item(key),
    close: () => cache.close(),
  };
}

/** `withCacheSync` over the same values (the loader's result, computed synchronously once). */
export function tagcacheSync(load: Loader): Subject {
  const cache = createCache({ store: memoryStore({ maxEntries: 10_000 }), namespace: 'bench', ttl: TTL_MS });
  const values = new Map<string, unknown>();
  const item = withCacheSync(
    function item(key: string): unknown {
      return values.get(key);
    },
    { cache },
  );
  return {
    name: 'tagcache memory, withCacheSync',
    role: 'tagcache',
    // Warm-up goes through get: run the loader once, then the sync function caches its value.
    get: async (key) => {
      if (!values.has(key)) values.set(key, await load(key));
      return item(key);
    },
    getSync: (key) => item(key),
    close: () => cache.close(),
  };
}
