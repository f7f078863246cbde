import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addTags,
  createCache,
  currentCache,
  currentKey,
  fileStore,
  invalidateTag,
  memoryStore,
  nullStore,
  setTtl,
  withCache,
  withCacheSync,
  InvalidOptionsError,
} from '../../lib/index.js';
import { testRedisStore } from '../setup/testStores.js';

const fresh = () => createCache({ store: memoryStore(), logger: false });

describe('withCacheSync on the memory store', () => {
  it('returns values, not promises, and computes once', () => {
    const cache = fresh();
    let runs = 0;
    const slug = withCacheSync(
      function slug(title: string) {
        runs += 1;
        return { slug: title.toLowerCase() };
      },
      { cache },
    );
    const first = slug('Hello');
    expect(first).toEqual({ slug: 'hello' });
    expect(first).not.toBeInstanceOf(Promise);
    expect(slug('Hello')).toEqual(first); // a copy: the default memory store holds copies
    expect(runs).toBe(1);
    expect(slug.stats()).toMatchObject({ hits: 1, misses: 0, calls: 1, writes: 1 });
  });

  it('tags, addTags and invalidation: an in-process invalidateTag has taken effect when it returns', async () => {
    const cache = fresh();
    let runs = 0;
    const price = withCacheSync(
      function price(sku: string) {
        runs += 1;
        addTags('prices');
        return sku.length;
      },
      { cache, tags: (sku) => [`sku:${sku}`] },
    );
    price('a');
    price('bb');
    void invalidateTag('sku:a', { cache }); // not awaited: a synchronous caller cannot await
    price('a');
    price('bb');
    expect(runs).toBe(3);
    await invalidateTag('prices', { cache });
    price('a');
    price('bb');
    expect(runs).toBe(5);
  });

  it('collects nested dependencies: sync in sync, sync in async, and TTL caps', async () => {
    const cache = fresh();
    let outerRuns = 0;
    const inner = withCacheSync(
      function inner(id: number) {
        addTags(`item:${id}`);
        setTtl('short');
        return id * 2;
      },
      { cache },
    );
    const outerSync = withCacheSync(
      function outerSync(ids: number[]) {
        outerRuns += 1;
        return ids.map((i) => inner(i));
      },
      { cache },
    );
    const outerAsync = withCache(
      async function outerAsync(id: number) {
        outerRuns += 1;
        return inner(id) + 1;
      },
      { cache },
    );
    expect(outerSync([1, 2])).toEqual([2, 4]);
    expect(await outerAsync(2)).toBe(5); // inner(2) is a hit here: its tags still count
    const read = cache.store.get(cache.namespace, `${cache.version}:${outerSync.keyOf([1, 2])}`);
    expect('hit' in read && read.hit && read.ttl <= 30_000).toBe(true);
    await invalidateTag('item:2', { cache });
    outerSync([1, 2]);
    await outerAsync(2);
    expect(outerRuns).toBe(4);
  });

  it('helpers: peek, set, invalidate, refresh, uncached, keyOf; this, currentCache and currentKey', () => {
    const cache = fresh();
    let n = 0;
    const keys: Array<string | undefined> = [];
    const counter = withCacheSync(
      function counter(this: { step: number } | undefined, key: string) {
        keys.push(currentKey());
        n += this?.step ?? 1;
        return `${key}:${n}:${currentCache()?.name}`;
      },
      { cache },
    );
    expect(counter.peek('a')).toBeUndefined();
    expect(counter('a')).toBe(`a:1:${cache.name}`);
    expect(counter.peek('a')).toBe(`a:1:${cache.name}`);
    counter.set('a:set', 'a');
    expect(counter('a')).toBe('a:set');
    expect(counter.refresh('a')).toBe(`a:2:${cache.name}`);
    counter.invalidate('a');
    expect(counter.peek('a')).toBeUndefined();
    expect(counter.uncached('a')).toBe('a:3:undefined');
    expect(counter.keyOf('a')).toBe('counter:"a"');
    expect(keys[0]).toBe(counter.keyOf('a')); // relative to the version, as in withCache
    const holder = { step: 10, counter };
    expect(holder.counter('b')).toBe(`b:13:${cache.name}`);
  });

  it('caches errors it is told to, and lets others propagate', () => {
    const cache = fresh();
    class NotFound extends Error {}
    let runs = 0;
    const find = withCacheSync(
      function find(id: number): string {
        runs += 1;
        if (id < 0) throw new NotFound(`no ${id}`);
        throw new Error('boom');
      },
      { cache, cacheErrors: [NotFound] },
    );
    expect(() => find(-1)).toThrow(NotFound);
    expect(() => find(-1)).toThrow(NotFound);
    expect(() => find(1)).toThrow('boom');
    expect(() => find(1)).toThrow('boom');
    expect(runs).toBe(3);
  });

  it('works on the null store (always computes)', () => {
    const cache = createCache({ store: nullStore(), logger: false });
    let runs = 0;
    const f = withCacheSync(
      function f() {
        return ++runs;
      },
      { cache },
    );
    expect(f() + f()).toBe(3);
  });
});

describe('withCacheSync refuses what cannot be synchronous, at wrap time', () => {
  it('a Redis store', async () => {
    const cache = createCache({ store: testRedisStore(), logger: false });
    try {
      expect(() =>
        withCacheSync(
          function f() {
            return 1;
          },
          { cache },
        ),
      ).toThrow(InvalidOptionsError);
      expect(() =>
        withCacheSync(
          function f() {
            return 1;
          },
          { cache },
        ),
      ).toThrow(/on a redis store, whose operations are asynchronous/);
    } finally {
      await cache.close();
    }
  });

  it('a file store, async functions and the options that need background work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tc-sync-'));
    const cache = createCache({ store: fileStore({ dir }), logger: false });
    try {
      expect(() =>
        withCacheSync(
          function f() {
            return 1;
          },
          { cache },
        ),
      ).toThrow(/on a file store/);
      expect(() =>
        withCacheSync(
          async function f() {
            return 1;
          },
          { cache: fresh() },
        ),
      ).toThrow(/use withCache/);
      const options = { cache: fresh(), staleWhileRevalidate: '1m' } as Parameters<typeof withCacheSync>[1];
      expect(() =>
        withCacheSync(function f() {
          return 1;
        }, options),
      ).toThrow(/staleWhileRevalidate/);
    } finally {
      await cache.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a function that returns a promise anyway is refused at its first call', () => {
    const f = withCacheSync(
      function f() {
        return Promise.resolve(1);
      },
      { cache: fresh() },
    );
    expect(() => f()).toThrow(/returned a promise/);
  });
});
