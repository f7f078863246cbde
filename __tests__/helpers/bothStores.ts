/**
 * The two stores the class, key and TTL features are tested on: the memory store and a real
 * Redis (the suite's redis-server), each cache in a namespace of its own.
 */
import { createCache, memoryStore, type Cache, type CacheConfig, type Store } from '../../lib/index.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: readonly StoreKind[] = ['memory', 'redis'];

/** A factory of caches on `kind`, all closed after the test file. */
export function cachesOn(kind: StoreKind): (config?: CacheConfig) => Cache {
  const open: Cache[] = [];
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
  });
  return (config = {}) => {
    const store = kind === 'memory' ? memoryStore() : testRedisStore();
    // A generous timeout: the first command also connects, and the machine is shared and slow.
    const cache = createCache({
      store,
      namespace: uniqueNamespace(kind),
      logger: false,
      timeout: '10s',
      ...config,
    });
    open.push(cache);
    return cache;
  };
}

/** The stores the first-contact tests run on: memory and the suite's Redis server. */
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
