/** The stores the first-contact tests run on: memory and the suite's Redis server. */
import { createCache, memoryStore, type Cache, type CacheConfig, type Store } from '../../lib/index.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

export const STORES: ReadonlyArray<readonly [string, () => Store]> = [
  ['memory', () => memoryStore()],
  ['redis', () => testRedisStore()],
];

/** Opens caches and closes them after the file's tests. */
export function cacheFactory(): {
  open(store: () => Store, config?: CacheConfig): Cache;
  closeAll(): Promise<void>;
} {
  const opened: Cache[] = [];
  return {
    open(store, config = {}) {
      const cache = createCache({
        store: store(),
        namespace: uniqueNamespace('fc'),
        logger: false,
        ...config,
      });
      opened.push(cache);
      return cache;
    },
    async closeAll() {
      await Promise.all(opened.splice(0).map((c) => c.close()));
    },
  };
}
