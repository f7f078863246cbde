import {
  addTags,
  createCache,
  type CacheEvent,
  invalidateTag,
  memoryStore,
  withCache,
  withInvalidation,
  type Cache,
} from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

const caches: Cache[] = [];
afterAll(() => Promise.all(caches.map((c) => c.close())));
const on = (kind: 'memory' | 'redis', onEvent?: (e: CacheEvent) => void): Cache => {
  const c = createCache({
    store: kind === 'memory' ? memoryStore() : testRedisStore(),
    namespace: uniqueNamespace('gos'),
    logger: false,
    timeout: '10s',
    ...(onEvent ? { onEvent } : {}),
  });
  caches.push(c);
  return c;
};

describe.each(['memory', 'redis'] as const)('getOrSet on %s', (kind) => {
  it('runs fn once for concurrent misses (single flight), then hits', async () => {
    let misses = 0;
    const cache = on(kind, (e) => void (e.type === 'miss' && (misses += 1)));
    await cache.ping(); // the connection is up before the concurrent reads
    const gate = deferred<number>();
    let runs = 0;
    const fn = () => {
      runs += 1;
      return gate.promise;
    };
    const calls = Array.from({ length: 5 }, () => cache.getOrSet('k', fn));
    for (let i = 0; i < 500 && misses < 5; i++) await new Promise((r) => setTimeout(r, 2));
    expect(misses).toBe(5); // every call has read its miss before the computation ends
    gate.resolve(42);
    expect(await Promise.all(calls)).toEqual([42, 42, 42, 42, 42]);
    expect(await cache.getOrSet('k', fn)).toBe(42);
    expect(runs).toBe(1);
  });

  it('does not serve a computation that straddled invalidateTag to later calls', async () => {
    const cache = on(kind);
    const gate = deferred<string>();
    const started = deferred<void>();
    const first = cache.getOrSet('k', () => (started.resolve(), gate.promise), { tags: ['t'] });
    await started.promise; // the miss has been read: the computation runs
    await invalidateTag('t', { cache });
    gate.resolve('old');
    expect(await first).toBe('old'); // its own caller gets it
    expect(await cache.get('k')).toBeUndefined(); // the write was refused
    expect(await cache.getOrSet('k', async () => 'new', { tags: ['t'] })).toBe('new');
  });

  it('collects addTags and nested cached calls inside fn, and propagates to an enclosing function', async () => {
    const cache = on(kind);
    const inner = withCache(
      async function inner(id: number) {
        addTags(`inner:${id}`);
        return id;
      },
      { cache },
    );
    const value = await cache.getOrSet(
      'page',
      async () => {
        addTags('page');
        return (await inner(1)) + (await inner(2));
      },
      { ttl: '1m' },
    );
    expect(value).toBe(3);
    expect((await cache.getEntry('page'))?.tags).toEqual(
      expect.arrayContaining(['page', 'inner:1', 'inner:2', '@fn:inner']),
    );
    await invalidateTag('inner:2', { cache });
    expect(await cache.get('page')).toBeUndefined();

    let outerRuns = 0;
    const outer = withCache(
      async function outer() {
        outerRuns += 1;
        return cache.getOrSet('config', async () => 'c', { tags: ['config'] });
      },
      { cache },
    );
    await outer();
    await outer();
    expect(outerRuns).toBe(1);
    await invalidateTag('config', { cache });
    await outer();
    expect(outerRuns).toBe(2);
  });

  it('serves stale while revalidating, and keeps cacheIf', async () => {
    const cache = on(kind);
    await cache.set('s', 'old', { ttl: 1 });
    await new Promise((r) => setTimeout(r, 10));
    // a set entry has no grace: the expired value is gone
    expect(await cache.getOrSet('s', async () => 'new', { staleWhileRevalidate: '1m' })).toBe('new');
    let n = 0;
    await cache.getOrSet('c', async () => ++n, { cacheIf: (v) => v > 1 });
    await cache.getOrSet('c', async () => ++n, { cacheIf: (v) => v > 1 });
    expect(await cache.get('c')).toBe(2);
  });
});

describe('peekEntry and invalidateAll', () => {
  it('peekEntry tells a cached undefined from a miss', async () => {
    const cache = on('memory');
    const find = withCache(
      async function find(id: number) {
        return id === 1 ? undefined : { id };
      },
      { cache },
    );
    expect(await find.peekEntry(1)).toBeUndefined();
    await find(1);
    expect(await find.peekEntry(1)).toMatchObject({ value: undefined, tags: ['@fn:find'] });
    expect(await find.peek(1)).toBeUndefined();
  });

  it.each(['memory', 'redis'] as const)(
    'invalidateAll drops every entry of one function, and what depends on it (%s)',
    async (kind) => {
      const cache = on(kind);
      let runs = 0;
      const a = withCache(
        async function a(id: number) {
          runs += 1;
          return id;
        },
        { cache },
      );
      const b = withCache(
        async function b(id: number) {
          return id;
        },
        { cache },
      );
      const page = withCache(
        async function page() {
          return (await a(1)) + 1;
        },
        { cache },
      );
      await Promise.all([a(1), a(2), b(1), page()]);
      await a.invalidateAll();
      expect([await a.peekEntry(1), await a.peekEntry(2), await page.peekEntry()]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(await b.peek(1)).toBe(1);
      expect(runs).toBe(2); // a(1) of page() joined the running a(1)
      await a(1);
      expect(runs).toBe(3);
    },
  );
});

describe('withInvalidation keys and patterns', () => {
  it('deletes the keys from the arguments and the result, and the patterns, after the write', async () => {
    const cache = on('memory');
    await cache.setMany([
      { key: 'user:1', value: 1 },
      { key: 'user:list', value: [] },
      { key: 'users:page:1', value: [] },
      { key: 'users:page:2', value: [] },
      { key: 'email:ada@x.io', value: 1 },
      { key: 'keep', value: 1 },
    ]);
    const save = withInvalidation(async (id: number) => ({ id, email: 'ada@x.io' }), {
      cache,
      keys: (id) => [`user:${id}`, 'user:list'],
      resultKeys: (u) => [`email:${u.email}`],
      patterns: ['users:page:*'],
    });
    await save(1);
    expect(
      await cache.getMany(['user:1', 'user:list', 'users:page:1', 'users:page:2', 'email:ada@x.io', 'keep']),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, 1]);
  });

  it('evicts before the write with when: before, and makes a wrapped function recompute', async () => {
    const cache = on('memory');
    let runs = 0;
    const getUser = withCache(
      async function getUser(id: number) {
        runs += 1;
        return id;
      },
      { cache },
    );
    await getUser(1);
    const seen: unknown[] = [];
    const remove = withInvalidation(
      async (id: number) => void seen.push(await cache.get(getUser.keyOf(id))),
      {
        cache,
        when: 'before',
        keys: (id) => [getUser.keyOf(id)],
      },
    );
    await remove(1);
    expect(seen).toEqual([undefined]);
    await getUser(1);
    expect(runs).toBe(2);
  });
});

describe('getOrSet and name claims', () => {
  it('calls with different functions and options never clash over a function name', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    caches.push(cache);
    expect(await cache.getOrSet('a', async () => 1, { ttl: '1m' })).toBe(1);
    expect(await cache.getOrSet('b', async () => 2)).toBe(2);
    expect(await cache.getOrSet('c', async () => 3, { tags: ['t'] })).toBe(3);
    expect(await cache.get('b')).toBe(2);
  });
});
