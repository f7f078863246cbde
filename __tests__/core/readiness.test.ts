import {
  createCache,
  withCache,
  memoryStore,
  redisStore,
  invalidateTag,
  StoreError,
  type CacheEvent,
  type Store,
} from '../../lib/index.js';
import { manualTimers } from '../../lib/testing/index.js';
import { deferred, flush } from '../helpers/deferred.js';
import { freePort } from '../setup/redisServers.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

/** A memory store that connects lazily like a remote one: operations wait for `connected`. */
function lazyStore() {
  const base = memoryStore();
  const connected = deferred<void>();
  let readyCalls = 0;
  const after = async <T>(op: () => T | Promise<T>): Promise<T> => {
    await connected.promise;
    return op();
  };
  const store: Store = {
    kind: 'lazy',
    holdsValues: true,
    get: (ns, key) => after(() => base.get(ns, key)),
    set: (ns, key, e, epoch) => after(() => base.set(ns, key, e, epoch)),
    delete: (ns, keys) => after(() => base.delete(ns, keys)),
    invalidate: (ns, tags, m) => after(() => base.invalidate(ns, tags, m)),
    clear: (ns) => after(() => base.clear(ns)),
    ready: () => {
      readyCalls += 1;
      return connected.promise;
    },
    close: () => base.close(),
  };
  return { store, connect: () => connected.resolve(), readyCalls: () => readyCalls };
}

describe('the first connection is outside the per-operation timeout', () => {
  it('a first call that waits longer than timeout for the connection is neither an error nor uncached', async () => {
    const lazy = lazyStore();
    const timers = manualTimers();
    const events: CacheEvent[] = [];
    const cache = createCache({
      store: lazy.store,
      timers,
      timeout: 50,
      logger: false,
      onEvent: (e) => events.push(e),
    });
    const f = withCache(
      async function price(sku: string) {
        return { sku, cents: 1999 };
      },
      { cache },
    );
    const first = f('A-1');
    await timers.advance(500); // connecting takes ten times the timeout
    lazy.connect();
    await first;
    expect(await f('A-1')).toEqual({ sku: 'A-1', cents: 1999 });
    expect(f.stats()).toMatchObject({ errors: 0, hits: 1, writes: 1 });
    expect(events.filter((e) => e.type === 'store-error')).toEqual([]);
    await cache.close();
  });

  it('waits at most 10 s for the connection, then fails open', async () => {
    const lazy = lazyStore();
    const timers = manualTimers();
    const cache = createCache({ store: lazy.store, timers, timeout: 50, logger: false });
    const f = withCache(
      async function slowConnect() {
        return 1;
      },
      { cache },
    );
    const first = f();
    await timers.advance(10_000);
    expect(await first).toBe(1);
    expect(f.stats().errors).toBe(1);
    await cache.close();
  });
});

describe('cache.ready()', () => {
  it('connects eagerly, through the store’s ready()', async () => {
    const lazy = lazyStore();
    const cache = createCache({ store: lazy.store, logger: false });
    const ready = cache.ready();
    expect(lazy.readyCalls()).toBe(1);
    lazy.connect();
    await expect(ready).resolves.toBeUndefined();
    await expect(createCache({ store: memoryStore() }).ready()).resolves.toBeUndefined();
  });

  it('resolves on a reachable Redis, rejects with the real cause on a closed port', async () => {
    const good = createCache({ store: testRedisStore(), namespace: uniqueNamespace('ready'), logger: false });
    const dead = createCache({
      store: redisStore({ url: `redis://127.0.0.1:${await freePort()}` }),
      logger: false,
    });
    try {
      await expect(good.ready()).resolves.toBeUndefined();
      const error = await dead.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expect((error as Error).cause).toBeDefined();
    } finally {
      await Promise.all([good.close(), dead.close()]);
    }
  });
});

describe('an open circuit', () => {
  it('rejects invalidations with ERR_CIRCUIT_OPEN carrying the last failure as its cause', async () => {
    const base = memoryStore();
    const store: Store = {
      ...base,
      kind: 'down',
      invalidate: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.9:6379')),
    };
    const cache = createCache({
      store,
      logger: false,
      timers: manualTimers(),
      breaker: { failures: 1, resetAfter: 60_000 },
    });
    await expect(invalidateTag('t', { cache })).rejects.toThrow(/ECONNREFUSED/);
    await flush();
    expect(cache.circuit()).toBe('open');
    const open = await invalidateTag('t', { cache }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(open).toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
    expect((open as Error).cause).toBeInstanceOf(StoreError);
    expect(((open as Error).cause as Error).message).toMatch(/ECONNREFUSED 10\.0\.0\.9/);
  });
});
