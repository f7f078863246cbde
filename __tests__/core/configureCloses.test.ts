import { configure, defaultCache, memoryStore, withCache, StoreError, type Store } from '../../lib/index.js';
import { flush } from '../helpers/deferred.js';
import { testRedisUrl } from '../setup/testStores.js';

/** A store the test made, counting its close() calls. */
function ownStore(): { store: Store; closes: () => number } {
  const base = memoryStore();
  let closes = 0;
  const store: Store = { ...base, close: () => ((closes += 1), base.close()) };
  return { store, closes: () => closes };
}

describe('configure() replacing the default cache', () => {
  afterAll(() => defaultCache().close());

  it('closes the store the library created from TAGCACHE_URL, and never one the user passed in', async () => {
    const before = process.env['TAGCACHE_URL'];
    process.env['TAGCACHE_URL'] = testRedisUrl();
    try {
      const first = defaultCache();
      expect(first.store.kind).toBe('redis');
      const f = withCache(async function configured() {
        return 1;
      });
      await f(); // connects
      const mine = ownStore();
      configure({ store: mine.store, logger: false });
      await flush();
      await expect(Promise.resolve().then(() => first.store.get('ns', 'k'))).rejects.toThrow(StoreError);
      configure({ logger: false });
      await flush();
      expect(mine.closes()).toBe(0); // the user's store stays open: it may serve other caches
      expect(await f()).toBe(1);
    } finally {
      if (before === undefined) delete process.env['TAGCACHE_URL'];
      else process.env['TAGCACHE_URL'] = before;
    }
  });
});
