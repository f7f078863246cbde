import {
  createCache,
  withCache,
  memoryStore,
  invalidateTag,
  invalidateTags,
  invalidateEntity,
  clear,
  entity,
  entityTag,
  addTags,
  setTtl,
  currentKey,
  type CacheEvent,
  type MemoryStore,
} from '../../lib/index.js';
import { deferred, flush } from '../helpers/deferred.js';

const fresh = (onEvent?: (e: CacheEvent) => void) =>
  createCache({ store: memoryStore(), logger: false, ...(onEvent ? { onEvent } : {}) });

describe('tag sources', () => {
  it('invalidates by static tags and tags of the arguments', async () => {
    const cache = fresh();
    let runs = 0;
    const posts = withCache(
      async function posts(userId: number) {
        runs += 1;
        return [`post of ${userId}`];
      },
      { cache, tags: (userId) => ['posts', `user:${userId}`] },
    );
    await posts(1);
    await posts(2);
    await invalidateTag('user:1', { cache });
    await posts(1);
    await posts(2);
    expect(runs).toBe(3);
    await invalidateTag('posts', { cache });
    await posts(1);
    await posts(2);
    expect(runs).toBe(5);
  });

  it('invalidates by tags of the result', async () => {
    const cache = fresh();
    let runs = 0;
    const post = withCache(
      async function post(id: number) {
        runs += 1;
        return { id, authorId: id * 10 };
      },
      { cache, resultTags: (p) => [`author:${p.authorId}`] },
    );
    await post(1);
    await post(2);
    await invalidateTags(['author:10'], { cache });
    await post(1);
    await post(2);
    expect(runs).toBe(3);
  });

  it('costs the same whatever the number of entries carrying the tag', async () => {
    const base = memoryStore({ maxEntries: 10_000 });
    let invalidations = 0;
    const store = {
      ...base,
      invalidate: (ns: string, tags: readonly string[], mode: 'drop' | 'stale') => {
        invalidations += 1;
        return base.invalidate(ns, tags, mode);
      },
    };
    const cache = createCache({ store, logger: false });
    const f = withCache(
      async function many(i: number) {
        return i;
      },
      { cache, tags: ['bulk'] },
    );
    for (let i = 0; i < 5000; i++) await f(i);
    await invalidateTag('bulk', { cache });
    expect(invalidations).toBe(1);
    expect(base.inspect().markers).toBe(1);
    expect(await f.peek(0)).toBeUndefined();
    expect(await f.peek(4999)).toBeUndefined();
  });
});

describe('entities', () => {
  it('finds the result itself or each element of an array', async () => {
    const cache = fresh();
    let runs = 0;
    const list = withCache(
      async function list() {
        runs += 1;
        return [{ id: 1 }, { id: 2 }];
      },
      { cache, entities: entity('post') },
    );
    const one = withCache(
      async function one(id: number) {
        runs += 1;
        return { id };
      },
      { cache, entities: entity('post') },
    );
    await list();
    await one(3);
    await invalidateEntity('post', 2, { cache });
    await list();
    await one(3);
    expect(runs).toBe(3);
  });

  it('walks paths through arrays, with custom ids and filters', () => {
    const order = {
      id: 'o1',
      author: { id: 7 },
      items: [
        { product: { sku: 'A', active: true } },
        { product: { sku: 'B', active: false } },
        { product: null },
        { product: [{ sku: 'C', active: true }] },
      ],
    };
    expect(entity('user', { path: 'author' }).extract(order)).toEqual(['user:7']);
    expect(entity('product', { path: 'items[].product', id: 'sku' }).extract(order)).toEqual([
      'product:A',
      'product:B',
      'product:C',
    ]);
    expect(
      entity('product', {
        path: 'items[].product',
        id: (p) => String(p['sku']).toLowerCase(),
        when: (p) => p['active'] === true,
      }).extract(order),
    ).toEqual(['product:a', 'product:c']);
    expect(entity('order').extract([order, { id: 'o2' }, null, { noId: 1 }])).toEqual([
      'order:o1',
      'order:o2',
    ]);
    expect(
      entity('user', { path: 'data.users' }).extract({ data: { users: [{ id: 1 }, { id: 2 }] } }),
    ).toEqual(['user:1', 'user:2']);
    expect(entityTag('user', 42)).toBe('user:42');
  });

  it('invalidates an order when a product inside it changes', async () => {
    const cache = fresh();
    let runs = 0;
    const getOrder = withCache(
      async function getOrder(id: string) {
        runs += 1;
        return { id, items: [{ product: { id: 'p1' } }, { product: { id: 'p2' } }] };
      },
      { cache, entities: [entity('order'), entity('product', { path: 'items[].product' })] },
    );
    await getOrder('o1');
    await getOrder('o1');
    await invalidateEntity('product', 'p2', { cache });
    await getOrder('o1');
    expect(runs).toBe(2);
  });
});

describe('collected dependencies', () => {
  it('addTags, setTtl and currentKey work inside a running function', async () => {
    const events: CacheEvent[] = [];
    const cache = fresh((e) => events.push(e));
    let seenKey: string | undefined;
    let runs = 0;
    const feed = withCache(
      async function feed(userId: number) {
        runs += 1;
        addTags(`user:${userId}`, 'feed');
        setTtl('42s');
        seenKey = currentKey();
        return [userId];
      },
      { cache, ttl: '1h' },
    );
    await feed(5);
    expect(seenKey).toBe(feed.keyOf(5));
    expect(currentKey()).toBeUndefined();
    const write = events.find((e) => e.type === 'write') as Extract<CacheEvent, { type: 'write' }>;
    expect(write.ttl).toBe(42_000);
    expect([...write.tags].sort()).toEqual(['@fn:feed', 'feed', 'user:5']);
    await invalidateTag('feed', { cache });
    await feed(5);
    expect(runs).toBe(2);
  });

  it('propagates inner tags to the outer entry on an inner miss and on an inner hit, capping the TTL', async () => {
    const events: CacheEvent[] = [];
    const cache = fresh((e) => events.push(e));
    let outerRuns = 0;
    const profile = withCache(
      async function profile(id: number) {
        addTags(`user:${id}`);
        return { id };
      },
      { cache, ttl: '1m' },
    );
    const page = withCache(
      async function page(id: number) {
        outerRuns += 1;
        return { user: await profile(id) };
      },
      { cache, ttl: '1h' },
    );
    const dashboard = withCache(
      async function dashboard(id: number) {
        return { user: await profile(id) };
      },
      { cache, ttl: '1h' },
    );
    await page(1); // inner miss
    await dashboard(1); // inner hit
    const writes = events.filter((e): e is Extract<CacheEvent, { type: 'write' }> => e.type === 'write');
    const outerWrites = writes.filter((w) => w.name !== 'profile');
    expect(outerWrites.map((w) => w.name)).toEqual(['page', 'dashboard']);
    for (const w of outerWrites) {
      expect(w.tags).toContain('user:1');
      expect(w.ttl).toBeLessThanOrEqual(60_000);
    }
    await invalidateTag('user:1', { cache });
    expect(await page.peek(1)).toBeUndefined();
    expect(await dashboard.peek(1)).toBeUndefined();
    await page(1);
    expect(outerRuns).toBe(2);
  });

  it('propagates tags to callers that joined a running computation', async () => {
    const cache = fresh();
    const gate = deferred<void>();
    const inner = withCache(
      async function inner() {
        addTags('shared');
        await gate.promise;
        return 1;
      },
      { cache },
    );
    const a = withCache(
      async function a() {
        return inner();
      },
      { cache },
    );
    const b = withCache(
      async function b() {
        return inner();
      },
      { cache },
    );
    const both = Promise.all([a(), b()]);
    await flush();
    gate.resolve();
    await both;
    await invalidateTag('shared', { cache });
    expect(await a.peek()).toBeUndefined();
    expect(await b.peek()).toBeUndefined();
  });

  it('carries tags across caches: the outer cache records the inner cache’s tags', async () => {
    const inner = fresh();
    const outer = fresh();
    let innerRuns = 0;
    let outerRuns = 0;
    const getUser = withCache(
      async function getUser(id: number) {
        innerRuns += 1;
        addTags(`user:${id}`);
        return { id };
      },
      { cache: inner },
    );
    const getPage = withCache(
      async function getPage(id: number) {
        outerRuns += 1;
        return { user: await getUser(id) };
      },
      { cache: outer },
    );
    await getPage(1);
    await invalidateTag('user:1', { cache: outer });
    await getPage(1);
    expect(outerRuns).toBe(2);
    expect(innerRuns).toBe(1); // inner cache untouched: a hit
    await invalidateTag('user:1', { cache: [inner, outer] });
    await getPage(1);
    expect(innerRuns).toBe(2);
    expect(outerRuns).toBe(3);
  });

  it('keeps the tags of concurrent unrelated computations apart', async () => {
    const cache = fresh();
    const gates = [deferred<void>(), deferred<void>()];
    const f = withCache(
      async function f(i: number) {
        addTags(`only:${i}`);
        await gates[i]!.promise;
        addTags(`late:${i}`);
        return i;
      },
      { cache },
    );
    const calls = [f(0), f(1)];
    await flush();
    gates[1]!.resolve();
    gates[0]!.resolve();
    await Promise.all(calls);
    await invalidateTag('only:0', { cache });
    expect(await f.peek(0)).toBeUndefined();
    expect(await f.peek(1)).toBe(1);
    await invalidateTag('late:1', { cache });
    expect(await f.peek(1)).toBeUndefined();
  });

  it('addTags outside a cached function does nothing', () => {
    expect(() => addTags('x')).not.toThrow();
  });
});

describe('race-free invalidation', () => {
  it('never serves a computation that straddled an invalidation to later calls', async () => {
    const cache = fresh();
    const db = { version: 1 };
    const gate = deferred<void>();
    let slow = true;
    const read = withCache(
      async function read() {
        const seen = db.version;
        if (slow) await gate.promise;
        return seen;
      },
      { cache, tags: ['item'] },
    );
    const straddling = read(); // starts before the invalidation, reads version 1
    await flush();
    db.version = 2;
    await invalidateTag('item', { cache });
    slow = false;
    const after = read(); // starts after the invalidation resolved: must not join or be served v1
    gate.resolve();
    expect(await straddling).toBe(1); // still resolves for its own caller
    expect(await after).toBe(2);
    expect(await read()).toBe(2);
    expect(read.stats().refusedWrites).toBe(1);
  });

  it('refuses the write of a nested computation whose inner tag was invalidated meanwhile', async () => {
    const cache = fresh();
    const gate = deferred<void>();
    let v = 1;
    const inner = withCache(
      async function inner() {
        addTags('dep');
        return v;
      },
      { cache },
    );
    const outer = withCache(
      async function outer() {
        const x = await inner();
        await gate.promise;
        return x;
      },
      { cache },
    );
    const running = outer();
    await flush();
    v = 2;
    await invalidateTag('dep', { cache });
    gate.resolve();
    expect(await running).toBe(1);
    expect(await outer.peek()).toBeUndefined();
    expect(await outer()).toBe(2);
  });

  it('clear removes every entry and refuses writes of calls already running', async () => {
    const cache = fresh();
    const gate = deferred<void>();
    let n = 0;
    const f = withCache(
      async function f(wait: boolean) {
        n += 1;
        if (wait) await gate.promise;
        return n;
      },
      { cache },
    );
    await f(false);
    const running = f(true);
    await flush();
    await clear({ cache });
    gate.resolve();
    await running;
    expect(await f.peek(false)).toBeUndefined();
    expect(await f.peek(true)).toBeUndefined();
  });
});

describe('bounded bookkeeping', () => {
  afterEach(() => jest.useRealTimers());

  it('lets markers expire with the entries they serve', async () => {
    jest.useFakeTimers({
      now: new Date('2026-01-01T00:00:00Z'),
      doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'],
    });
    const store = memoryStore({ maxEntries: 1000 });
    const cache = createCache({ store, logger: false });
    const f = withCache(
      async function churn(i: number) {
        return i;
      },
      { cache, ttl: '1s', tags: (i) => [`t:${i}`] },
    );
    const sizes: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 500; i++) await f(round * 500 + i);
      await invalidateTags(
        Array.from({ length: 500 }, (_, i) => `t:${round * 500 + i}`),
        { cache },
      );
      jest.setSystemTime(Date.now() + 11 * 60_000);
      sizes.push(await markerCount(cache));
    }
    expect(Math.max(...sizes)).toBeLessThan(2100);
  });
});

/** Triggers a sweep and counts the markers left. */
async function markerCount(cache: ReturnType<typeof createCache>): Promise<number> {
  await invalidateTag('probe', { cache });
  return (cache.store as MemoryStore).inspect().markers;
}

describe('slow computations and expired markers', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses the write of a computation that outlived the marker of an invalidation it straddled', async () => {
    jest.useFakeTimers({
      now: new Date('2026-01-01T00:00:00Z'),
      doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'],
    });
    const store = memoryStore();
    const cache = createCache({ store, logger: false });
    const gate = deferred<void>();
    let version = 1;
    let slow = true;
    const f = withCache(
      async function verySlow() {
        const seen = version;
        if (slow) await gate.promise;
        return seen;
      },
      { cache, ttl: '1s', tags: ['t'] },
    );
    const running = f(); // starts before the invalidation
    await flush();
    version = 2;
    await invalidateTag('t', { cache });
    jest.setSystemTime(Date.now() + 60 * 60_000); // an hour: the marker has expired
    for (let i = 0; i < 1100; i++) await invalidateTag(`other:${i}`, { cache }); // enough to sweep
    expect(store.inspect().markers).toBeLessThan(1200);
    gate.resolve();
    expect(await running).toBe(1);
    slow = false;
    expect(await f.peek()).toBeUndefined();
    expect(await f()).toBe(2);
  });
});
